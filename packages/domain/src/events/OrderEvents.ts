import { Schema } from "effect"
import { IssuedCouponId, OrderId, ProductId, UserId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"
import { Quantity } from "../shared/Quantity.js"
import { eventFields } from "./EventFields.js"

export const PaymentType = Schema.Literal("POINT", "CARD")
export type PaymentType = typeof PaymentType.Type

/** A line as the consumers of order events need it (metrics, rankings, exports). */
export const OrderedLine = Schema.Struct({
  productId: ProductId,
  quantity: Quantity,
  unitPrice: Money,
})
export type OrderedLine = typeof OrderedLine.Type

const orderFields = {
  ...eventFields,
  orderId: OrderId,
  userId: UserId,
  lines: Schema.Array(OrderedLine),
}

export const OrderPlaced = Schema.TaggedStruct("OrderPlaced", {
  ...orderFields,
  subtotal: Money,
  discount: Money,
  paymentType: PaymentType,
  couponId: Schema.optional(IssuedCouponId),
})
export type OrderPlaced = typeof OrderPlaced.Type

export const OrderPaid = Schema.TaggedStruct("OrderPaid", {
  ...orderFields,
  paidAmount: Money,
  paymentType: PaymentType,
})
export type OrderPaid = typeof OrderPaid.Type

export const OrderCancelled = Schema.TaggedStruct("OrderCancelled", {
  ...orderFields,
  /** True when the order had been paid and its payment was refunded. */
  refunded: Schema.Boolean,
})
export type OrderCancelled = typeof OrderCancelled.Type

export const PaymentFailed = Schema.TaggedStruct("PaymentFailed", {
  ...orderFields,
  reason: Schema.String,
})
export type PaymentFailed = typeof PaymentFailed.Type
