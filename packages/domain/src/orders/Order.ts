import { Either, Schema } from "effect"
import type { DomainEventTag, EventInput } from "../events/DomainEvent.js"
import { aggregateKey } from "../events/EventFields.js"
import { type OrderedLine, PaymentType } from "../events/OrderEvents.js"
import { fromValidFields } from "../shared/CopyWith.js"
import { IssuedCouponId, isEntityId, OrderId, ProductId, UserId } from "../shared/Ids.js"
import * as Money from "../shared/Money.js"
import { isQuantity, Quantity } from "../shared/Quantity.js"
import { DiscountExceedsSubtotal, InvalidOrderLines } from "./OrderErrors.js"

export const MAX_ORDER_LINES = 50

export const OrderStatus = Schema.Literal("PENDING_PAYMENT", "PAID", "PAYMENT_FAILED", "CANCELLED")
export type OrderStatus = typeof OrderStatus.Type

/** A line as ordered: name and unit price are copied so later catalog edits never change it. */
export class OrderLine extends Schema.Class<OrderLine>("OrderLine")({
  productId: ProductId,
  productName: Schema.String,
  unitPrice: Money.Money,
  quantity: Quantity,
}) {}

export class StatusChange extends Schema.Class<StatusChange>("StatusChange")({
  status: OrderStatus,
  at: Schema.DateFromSelf,
}) {}

export class Order extends Schema.Class<Order>("Order")({
  id: OrderId,
  userId: UserId,
  lines: Schema.Array(OrderLine),
  subtotal: Money.Money,
  discount: Money.Money,
  paidAmount: Money.Money,
  couponId: Schema.optional(IssuedCouponId),
  paymentType: PaymentType,
  status: OrderStatus,
  /** Every status the order has had, oldest first, with the time it was entered. */
  history: Schema.Array(StatusChange),
  createdAt: Schema.DateFromSelf,
}) {}

/** An event of the order context before the service stamps its id and time. */
export type EventDraft<T extends DomainEventTag> = { readonly _tag: T } & EventInput<T>
export type OrderEventDraft =
  | EventDraft<"OrderPlaced">
  | EventDraft<"OrderPaid">
  | EventDraft<"OrderCancelled">
  | EventDraft<"PaymentFailed">

/** The result of every pure order operation: the new state and what it raised. */
export interface OrderChange {
  readonly order: Order
  readonly events: ReadonlyArray<OrderEventDraft>
}

export interface RequestedLine {
  readonly productId: number
  readonly quantity: number
}

/** 1..50 lines, distinct products, positive integer quantities: checked before anything is read. */
export const validateRequestedLines = <L extends RequestedLine>(
  lines: ReadonlyArray<L>,
): Either.Either<ReadonlyArray<L>, InvalidOrderLines> => {
  if (lines.length === 0) return Either.left(new InvalidOrderLines({ reason: "an order needs at least one line" }))
  if (lines.length > MAX_ORDER_LINES) {
    return Either.left(new InvalidOrderLines({ reason: `an order has at most ${MAX_ORDER_LINES} lines` }))
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as L
    if (typeof line !== "object" || line === null) {
      return Either.left(new InvalidOrderLines({ reason: "every line needs a productId and a quantity" }))
    }
    if (!isEntityId(line.productId)) {
      return Either.left(new InvalidOrderLines({ reason: `invalid product id ${line.productId}` }))
    }
    if (!isQuantity(line.quantity)) {
      return Either.left(new InvalidOrderLines({ reason: `invalid quantity ${line.quantity}` }))
    }
    // at most 50 lines: comparing with the earlier ones allocates nothing, unlike a Set
    for (let j = 0; j < i; j++) {
      if ((lines[j] as L).productId === line.productId) {
        return Either.left(new InvalidOrderLines({ reason: `product ${line.productId} appears twice` }))
      }
    }
  }
  return Either.right(lines)
}

/**
 * sum(unitPrice x quantity), failing instead of leaving the range of Money. Every term is
 * non-negative, so a total within range means every term and partial sum was, and exact: the
 * terms are checked as they come and the sum once.
 */
export const subtotalOf = (lines: ReadonlyArray<OrderLine>): Either.Either<Money.Money, Money.AmountOutOfRange> => {
  let total = 0
  for (const line of lines) {
    const amount = line.unitPrice * line.quantity
    if (!Money.isMoney(amount)) return Either.left(new Money.AmountOutOfRange({ operation: "multiply" }))
    total += amount
  }
  return Money.isMoney(total) ? Either.right(total) : Either.left(new Money.AmountOutOfRange({ operation: "add" }))
}

// The last lines converted and what they became. An order's status changes keep its `lines`
// array (orders are immutable), so an order placed and paid at once converts them once and its
// OrderPlaced and OrderPaid events, which the outbox keeps, share one immutable array.
let lastLines: ReadonlyArray<OrderLine> | undefined
let lastOrdered: ReadonlyArray<OrderedLine> = []

/** The order's lines as its events carry them. */
export const orderedLines = (order: Order): ReadonlyArray<OrderedLine> => {
  if (order.lines !== lastLines) {
    lastOrdered = order.lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
    }))
    lastLines = order.lines
  }
  return lastOrdered
}

export interface NewOrder {
  readonly id: OrderId
  readonly userId: UserId
  readonly lines: ReadonlyArray<OrderLine>
  readonly discount: Money.Money
  readonly couponId?: IssuedCouponId | undefined
  readonly paymentType: PaymentType
  readonly now: Date
}

/** A new order awaiting payment, and its OrderPlaced event. */
export const create = (
  input: NewOrder,
): Either.Either<OrderChange, InvalidOrderLines | Money.AmountOutOfRange | DiscountExceedsSubtotal> => {
  const valid = validateRequestedLines(input.lines)
  if (Either.isLeft(valid)) return Either.left(valid.left)
  const total = subtotalOf(input.lines)
  if (Either.isLeft(total)) return Either.left(total.left)
  const subtotal = total.right
  const remaining = Money.subtract(subtotal, input.discount)
  if (Either.isLeft(remaining)) return Either.left(new DiscountExceedsSubtotal({ subtotal, discount: input.discount }))
  const paidAmount = remaining.right
  const order = fromValidFields(Order, {
    id: input.id,
    userId: input.userId,
    lines: input.lines,
    subtotal,
    discount: input.discount,
    paidAmount,
    ...(input.couponId === undefined ? {} : { couponId: input.couponId }),
    paymentType: input.paymentType,
    status: "PENDING_PAYMENT",
    history: [fromValidFields(StatusChange, { status: "PENDING_PAYMENT", at: input.now })],
    createdAt: input.now,
  })
  const placed: EventDraft<"OrderPlaced"> = {
    _tag: "OrderPlaced",
    aggregateKey: aggregateKey.order(order.id),
    orderId: order.id,
    userId: order.userId,
    lines: orderedLines(order),
    subtotal,
    discount: input.discount,
    paymentType: input.paymentType,
    ...(input.couponId === undefined ? {} : { couponId: input.couponId }),
  }
  return Either.right({ order, events: [placed] })
}
