import { Schema } from "effect"
import type { ErrorKind } from "../shared/DomainError.js"
import { OrderId } from "../shared/Ids.js"

export class OrderNotFound extends Schema.TaggedError<OrderNotFound>()("OrderNotFound", { orderId: OrderId }) {
  get code() {
    return "ORDER_NOT_FOUND" as const
  }
  get kind(): ErrorKind {
    return "not-found"
  }
  override get message() {
    return `Order ${this.orderId} not found`
  }
}

/** The order is not in a status from which the requested transition is allowed. */
export class InvalidOrderStatus extends Schema.TaggedError<InvalidOrderStatus>()("InvalidOrderStatus", {
  orderId: OrderId,
  from: Schema.String,
  to: Schema.String,
}) {
  get code() {
    return "INVALID_ORDER_STATUS" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Order ${this.orderId} cannot go from ${this.from} to ${this.to}`
  }
}

/** Order lines that break the shape rules: 1..50 lines of distinct products, positive quantities. */
export class InvalidOrderLines extends Schema.TaggedError<InvalidOrderLines>()("InvalidOrderLines", {
  reason: Schema.String,
}) {
  get code() {
    return "INVALID_ORDER_LINES" as const
  }
  get kind(): ErrorKind {
    return "invalid"
  }
  override get message() {
    return `Invalid order lines: ${this.reason}`
  }
}

/** A discount larger than the subtotal would make the paid amount negative. */
export class DiscountExceedsSubtotal extends Schema.TaggedError<DiscountExceedsSubtotal>()("DiscountExceedsSubtotal", {
  subtotal: Schema.Number,
  discount: Schema.Number,
}) {
  get code() {
    return "DISCOUNT_EXCEEDS_SUBTOTAL" as const
  }
  get kind(): ErrorKind {
    return "invalid"
  }
  override get message() {
    return `Discount ${this.discount} exceeds subtotal ${this.subtotal}`
  }
}
