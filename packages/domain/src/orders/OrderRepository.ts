import { Context, type Effect, type Option } from "effect"
import type { Payment, PaymentVersion } from "../payments/Payment.js"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { OrderId, UserId } from "../shared/Ids.js"
import type { Page, PageRequest } from "../shared/Pagination.js"
import type { Order, OrderStatus } from "./Order.js"

/** An order with its payment record, as stored together. */
export interface OrderRecord {
  readonly order: Order
  readonly payment: Payment
}

/** Where a scan of settled card payments resumes: strictly after this (touched time, order id). */
export interface SettledPaymentCursor {
  readonly touchedAt: Date
  readonly orderId: OrderId
}

export interface SettledCardPaymentsQuery {
  /** Only payments touched (see `touchedAt`) at or after this time. */
  readonly since: Date
  readonly after?: SettledPaymentCursor | undefined
  readonly limit: number
}

/**
 * Orders, their lines, status history and payment record. Status changes are conditional
 * writes (SQL: `UPDATE orders SET status = ? WHERE id = ? AND status = ?`): the guard is what
 * makes every compensation run at most once, whoever races to apply it.
 */
export class OrderRepository extends Context.Tag("@commerce-core/domain/OrderRepository")<
  OrderRepository,
  {
    /** Reserves the id of an order about to be placed (never reused, like auto-increment). */
    readonly nextId: Effect.Effect<OrderId, PersistenceUnavailable>
    /** Stores a new order with its lines, history and payment record. */
    readonly insert: (record: OrderRecord) => Effect.Effect<void, PersistenceUnavailable>
    /** Any user's order: for callbacks and reconciliation, never for user-facing reads. */
    readonly findById: (orderId: OrderId) => Effect.Effect<Option.Option<OrderRecord>, PersistenceUnavailable>
    /** The order only if `userId` owns it; another user's order is None. */
    readonly findForUser: (
      userId: UserId,
      orderId: OrderId,
    ) => Effect.Effect<Option.Option<OrderRecord>, PersistenceUnavailable>
    /** The user's orders, newest first (ties: higher id first). */
    readonly pageByUser: (userId: UserId, page: PageRequest) => Effect.Effect<Page<Order>, PersistenceUnavailable>
    /**
     * Moves the order from `from` to `to` and appends `{to, at}` to its history, only if its
     * status is still `from`. Returns false, changing nothing, otherwise (or if it is absent).
     */
    readonly transition: (
      orderId: OrderId,
      from: OrderStatus,
      to: OrderStatus,
      at: Date,
    ) => Effect.Effect<boolean, PersistenceUnavailable>
    /**
     * Replaces the payment record of an existing order only if the stored one still has the
     * status, attempts and transaction key of `expected` (SQL: `UPDATE payment ... WHERE
     * order_id = ? AND status = ? AND attempts = ? AND transaction_key <=> ?`). Returns false,
     * changing nothing, otherwise: the caller read a stale payment and must reload and decide again.
     */
    readonly savePayment: (payment: Payment, expected: PaymentVersion) => Effect.Effect<boolean, PersistenceUnavailable>
    /**
     * Claims gateway request number `attempts + 1` for a PENDING payment whose attempt count is
     * still `attempts`; only the caller that gets true may send that request.
     */
    readonly claimPaymentAttempt: (
      orderId: OrderId,
      attempts: number,
      at: Date,
    ) => Effect.Effect<boolean, PersistenceUnavailable>
    /** PENDING card payments last touched before `before`, oldest first, at most `limit`. */
    readonly pendingCardPayments: (
      before: Date,
      limit: number,
    ) => Effect.Effect<ReadonlyArray<Payment>, PersistenceUnavailable>
    /**
     * Settled card payments (status no longer PENDING, so the order is PAID, PAYMENT_FAILED or
     * CANCELLED) touched (`touchedAt`: last gateway request, else last write) at or after
     * `since`, in (touched, order id) order, strictly after `after` when given, at most `limit`.
     * Keyset pages: a scan walks them by passing the last one's (touched, order id) as `after`.
     */
    readonly settledCardPayments: (
      query: SettledCardPaymentsQuery,
    ) => Effect.Effect<ReadonlyArray<Payment>, PersistenceUnavailable>
  }
>() {}
