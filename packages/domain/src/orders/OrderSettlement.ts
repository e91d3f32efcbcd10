import { Data, Effect, Either, Option } from "effect"
import { aggregateKey } from "../events/EventFields.js"
import { forgetCard, isChargeRecorded, type Payment, updatePayment } from "../payments/Payment.js"
import { PaymentTransactionMismatch } from "../payments/PaymentErrors.js"
import type { GatewayTransaction } from "../payments/PaymentGateway.js"
import { PersistenceUnavailable } from "../shared/DomainError.js"
import type { OrderId, UserId } from "../shared/Ids.js"
import type { EventDraft, Order, OrderStatus } from "./Order.js"
import type { OrderContext } from "./OrderContext.js"
import { InvalidOrderStatus, OrderNotFound } from "./OrderErrors.js"
import type { OrderRecord } from "./OrderRepository.js"
import * as Machine from "./OrderStatusMachine.js"

/** A charge that paid nothing (the order had been cancelled or failed): money moved and is owed back. */
export const REFUND_OWED = "charged after the order stopped waiting for payment; refund owed"
export const NEVER_REACHED = "the payment request never reached the gateway"

/** A conditional payment write lost to a concurrent one: roll back and decide again on fresh reads. */
class PaymentChanged extends Data.TaggedError("PaymentChanged") {}

const isPaymentChanged = (e: unknown): e is PaymentChanged => e instanceof PaymentChanged

/** Conflicts need a concurrent writer each time; this many in a row means something is wrong. */
const MAX_CONFLICTS = 20

/**
 * The order, its payment and the compensations that keep every invariant when an order stops
 * holding resources (PAYMENT_FAILED or CANCELLED). Each step is guarded: the conditional status
 * transition is written first, and only the caller that won it runs the undo steps.
 */
export const makeSettlement = (ctx: OrderContext) => {
  const load = (orderId: OrderId) =>
    Effect.flatMap(ctx.orders.findById(orderId), (found) =>
      Option.match(found, { onNone: () => Effect.fail(new OrderNotFound({ orderId })), onSome: Effect.succeed }),
    )

  /**
   * Runs `body` in a transaction that is rolled back and run again whenever one of its payment
   * writes finds the payment changed since it was read (see `save`). The retry needs the
   * rollback, so settlement operations are top-level transactions, never joined to an outer one.
   */
  const atomically = <A, E, R>(body: Effect.Effect<A, E | PaymentChanged, R>) =>
    ctx.tx.withTransaction(body).pipe(
      Effect.retry({ while: isPaymentChanged, times: MAX_CONFLICTS }),
      Effect.catchIf(isPaymentChanged, () =>
        Effect.fail(new PersistenceUnavailable({ reason: "the payment kept changing concurrently" })),
      ),
    )

  /** Writes `next` only over the payment it was computed from (`read`), else fails with PaymentChanged. */
  const save = (next: Payment, read: Payment) =>
    Effect.flatMap(ctx.orders.savePayment(next, read), (saved) =>
      saved ? Effect.void : Effect.fail(new PaymentChanged()),
    )

  /** Writes the transition guarded by the status it was computed from; false if someone got there first. */
  const guard = (from: Order, to: OrderStatus, at: Date) => ctx.orders.transition(from.id, from.status, to, at)

  /** Stock back in ascending product order, the coupon back, points back for a paid POINT order. */
  const compensate = (order: Order) =>
    Effect.gen(function* () {
      const lines = [...order.lines].sort((a, b) => a.productId - b.productId)
      const drafts: Array<EventDraft<"StockRestored">> = []
      for (const line of lines) {
        const stockAfter = yield* ctx.products.restoreStock(line.productId, line.quantity)
        drafts.push({
          _tag: "StockRestored",
          aggregateKey: aggregateKey.product(line.productId),
          productId: line.productId,
          quantity: line.quantity,
          stockAfter,
          orderId: order.id,
        })
      }
      if (order.couponId !== undefined) {
        yield* ctx.coupons.restoreForOrder({ couponId: order.couponId, orderId: order.id })
      }
      if (order.paymentType === "POINT" && order.status === "PAID" && order.paidAmount > 0) {
        yield* ctx.points.refund({ userId: order.userId, amount: order.paidAmount, orderId: order.id })
      }
      return drafts
    })

  /** PENDING_PAYMENT -> PAYMENT_FAILED with every resource released; a no-op in any other status. */
  const failPayment = (record: OrderRecord, reason: string, transactionKey: string | undefined, at: Date) =>
    Effect.gen(function* () {
      const change = Machine.markPaymentFailed(record.order, reason, at)
      if (Either.isLeft(change)) return record
      if (!(yield* guard(record.order, "PAYMENT_FAILED", at))) return yield* load(record.order.id)
      const restored = yield* compensate(record.order)
      const payment = updatePayment(record.payment, {
        status: "FAILED",
        reason,
        updatedAt: at,
        ...(transactionKey === undefined ? {} : { transactionKey }),
      })
      yield* save(payment, record.payment)
      yield* ctx.append([...change.right.events, ...restored])
      return { order: change.right.order, payment }
    })

  /** Records the final state of a payment whose order needs nothing more (it was cancelled). */
  const closePayment = (
    record: OrderRecord,
    status: "REFUNDED" | "CANCELLED",
    reason: string | undefined,
    transactionKey: string | undefined,
    at: Date,
  ) =>
    Effect.gen(function* () {
      const payment = updatePayment(record.payment, {
        status,
        updatedAt: at,
        ...(reason === undefined ? {} : { reason }),
        ...(transactionKey === undefined ? {} : { transactionKey }),
      })
      yield* save(payment, record.payment)
      return { order: record.order, payment }
    })

  /**
   * A charge that did not pay this order (it had failed or been cancelled, or another charge
   * paid it): recorded as money owed back, once per transaction, never dropped.
   */
  const recordUnpaidCharge = (record: OrderRecord, key: string, at: Date) =>
    Effect.gen(function* () {
      const payment = record.payment
      if (isChargeRecorded(payment, key)) return record
      if (payment.status === "SUCCESS" || payment.status === "REFUNDED") {
        const next = updatePayment(payment, { refundsOwed: [...(payment.refundsOwed ?? []), key], updatedAt: at })
        yield* save(next, payment)
        return { order: record.order, payment: next }
      }
      return yield* closePayment(record, "REFUNDED", REFUND_OWED, key, at)
    })

  /** A cancelled order's card payment that the gateway never received: nothing was charged. */
  const closeUnreached = (orderId: OrderId) =>
    atomically(
      Effect.gen(function* () {
        const record = yield* load(orderId)
        if (record.order.status !== "CANCELLED" || record.payment.status !== "PENDING") return record
        return yield* closePayment(record, "CANCELLED", NEVER_REACHED, undefined, yield* ctx.now)
      }),
    )

  const markPaid = (record: OrderRecord, transactionKey: string, at: Date) =>
    Effect.gen(function* () {
      const change = Machine.markPaid(record.order, at)
      if (Either.isLeft(change)) return record
      if (!(yield* guard(record.order, "PAID", at))) return yield* load(record.order.id)
      const payment = updatePayment(record.payment, { status: "SUCCESS", transactionKey, updatedAt: at })
      yield* save(payment, record.payment)
      yield* ctx.append(change.right.events)
      return { order: change.right.order, payment }
    })

  /**
   * Applies the gateway's own view of a transaction to the order, in one transaction.
   * Idempotent: a transaction already applied, or one for an order that moved on, changes nothing,
   * except that a charge that did not pay the order is recorded as a refund owed (once).
   */
  const applyTransaction = (orderId: OrderId, transaction: GatewayTransaction) =>
    atomically(
      Effect.gen(function* () {
        if (transaction.orderId !== orderId) {
          return yield* new PaymentTransactionMismatch({
            transactionKey: transaction.transactionKey,
            reason: `belongs to order ${transaction.orderId}, not ${orderId}`,
          })
        }
        const record = yield* load(orderId)
        if (record.payment.type !== "CARD") {
          return yield* new PaymentTransactionMismatch({
            transactionKey: transaction.transactionKey,
            reason: `order ${orderId} is not paid by card`,
          })
        }
        if (transaction.amount !== record.payment.amount) {
          return yield* new PaymentTransactionMismatch({
            transactionKey: transaction.transactionKey,
            reason: `amount ${transaction.amount} differs from ${record.payment.amount}`,
          })
        }
        const at = yield* ctx.now
        const key = transaction.transactionKey
        const awaitingGateway = record.order.status === "CANCELLED" && record.payment.status === "PENDING"
        switch (transaction.status) {
          case "SUCCESS":
            if (record.order.status === "PENDING_PAYMENT") return yield* markPaid(record, key, at)
            return yield* recordUnpaidCharge(record, key, at)
          case "FAILED":
            if (record.order.status === "PENDING_PAYMENT") {
              return yield* failPayment(record, transaction.reason ?? "declined by the gateway", key, at)
            }
            if (awaitingGateway) return yield* closePayment(record, "CANCELLED", transaction.reason, key, at)
            return record
          case "PENDING": {
            if (record.payment.status !== "PENDING" || record.payment.transactionKey !== undefined) return record
            const payment = updatePayment(record.payment, { transactionKey: key, updatedAt: at })
            yield* save(payment, record.payment)
            return { order: record.order, payment }
          }
        }
      }),
    )

  /** PENDING_PAYMENT or PAID -> CANCELLED by its owner, releasing everything the order held. */
  const cancel = (userId: UserId, orderId: OrderId) =>
    atomically(
      Effect.gen(function* () {
        const found = yield* ctx.orders.findForUser(userId, orderId)
        if (Option.isNone(found)) return yield* new OrderNotFound({ orderId })
        const record = found.value
        const at = yield* ctx.now
        const change = yield* Machine.cancel(record.order, at)
        if (!(yield* guard(record.order, "CANCELLED", at))) {
          return yield* new InvalidOrderStatus({ orderId, from: "(changed concurrently)", to: "CANCELLED" })
        }
        const restored = yield* compensate(record.order)
        const payment = cancelledPayment(record.payment, record.order.status, at)
        yield* save(payment, record.payment)
        yield* ctx.append([...change.events, ...restored])
        return { order: change.order, payment }
      }),
    )

  /** Fails a PENDING_PAYMENT order whose requests never reached the gateway (no-op otherwise). */
  const failUnreached = (orderId: OrderId, at: Date) =>
    atomically(Effect.flatMap(load(orderId), (current) => failPayment(current, NEVER_REACHED, undefined, at)))

  return { load, applyTransaction, failUnreached, closeUnreached, cancel }
}

/**
 * A paid order's payment becomes REFUNDED: points are refunded in the same transaction; a card
 * charge is recorded as owed (the gateway port has no refund call; refunds are settled with the
 * gateway out of band). An unpaid POINT payment becomes CANCELLED. An unpaid CARD payment stays
 * PENDING: its request may already be at the gateway, so reconciliation keeps asking until the
 * gateway's answer closes it as CANCELLED (declined or never received) or REFUNDED (charged).
 * A paid zero-amount order moved no money, so its payment becomes CANCELLED.
 */
const cancelledPayment = (payment: Payment, from: OrderStatus, at: Date): Payment => {
  if (from === "PAID")
    return updatePayment(payment, { status: payment.amount > 0 ? "REFUNDED" : "CANCELLED", updatedAt: at })
  // A cancelled order is never requested again: the full card number goes now.
  if (payment.type === "CARD") return forgetCard(updatePayment(payment, { updatedAt: at }))
  return updatePayment(payment, { status: "CANCELLED", updatedAt: at })
}

export type Settlement = ReturnType<typeof makeSettlement>
