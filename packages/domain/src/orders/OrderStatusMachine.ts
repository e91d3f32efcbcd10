import { Either } from "effect"
import { aggregateKey } from "../events/EventFields.js"
import { copyWith, fromValidFields } from "../shared/CopyWith.js"
import { type EventDraft, type Order, type OrderChange, type OrderStatus, orderedLines, StatusChange } from "./Order.js"
import { InvalidOrderStatus } from "./OrderErrors.js"

/** The only allowed moves; PAYMENT_FAILED and CANCELLED are terminal. */
export const transitions: Readonly<Record<OrderStatus, ReadonlyArray<OrderStatus>>> = {
  PENDING_PAYMENT: ["PAID", "PAYMENT_FAILED", "CANCELLED"],
  PAID: ["CANCELLED"],
  PAYMENT_FAILED: [],
  CANCELLED: [],
}

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => transitions[from].includes(to)

export const isTerminal = (status: OrderStatus): boolean => transitions[status].length === 0

/** Orders in these statuses hold their stock and coupon. */
export const holdsResources = (status: OrderStatus): boolean => status === "PENDING_PAYMENT" || status === "PAID"

/** Moves the order to `to`, recording the time; a disallowed move is an InvalidOrderStatus. */
export const transition = (order: Order, to: OrderStatus, now: Date): Either.Either<Order, InvalidOrderStatus> =>
  canTransition(order.status, to)
    ? Either.right(
        copyWith(order, {
          status: to,
          history: [...order.history, fromValidFields(StatusChange, { status: to, at: now })],
        }),
      )
    : Either.left(new InvalidOrderStatus({ orderId: order.id, from: order.status, to }))

const common = (order: Order) => ({
  aggregateKey: aggregateKey.order(order.id),
  orderId: order.id,
  userId: order.userId,
  lines: orderedLines(order),
})

export const markPaid = (order: Order, now: Date): Either.Either<OrderChange, InvalidOrderStatus> =>
  Either.map(transition(order, "PAID", now), (paid) => {
    const event: EventDraft<"OrderPaid"> = {
      _tag: "OrderPaid",
      ...common(paid),
      paidAmount: paid.paidAmount,
      paymentType: paid.paymentType,
    }
    return { order: paid, events: [event] }
  })

export const markPaymentFailed = (
  order: Order,
  reason: string,
  now: Date,
): Either.Either<OrderChange, InvalidOrderStatus> =>
  Either.map(transition(order, "PAYMENT_FAILED", now), (failed) => {
    const event: EventDraft<"PaymentFailed"> = { _tag: "PaymentFailed", ...common(failed), reason }
    return { order: failed, events: [event] }
  })

/** Cancelling a PAID order means its payment is refunded (`refunded: true` on the event). */
export const cancel = (order: Order, now: Date): Either.Either<OrderChange, InvalidOrderStatus> =>
  Either.map(transition(order, "CANCELLED", now), (cancelled) => {
    const event: EventDraft<"OrderCancelled"> = {
      _tag: "OrderCancelled",
      ...common(cancelled),
      refunded: order.status === "PAID",
    }
    return { order: cancelled, events: [event] }
  })
