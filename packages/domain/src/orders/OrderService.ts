import { Context, type Duration, Effect, Layer, Option } from "effect"
import type { QuantityLimitExceeded } from "../cart/CartErrors.js"
import type { InsufficientStock, ProductNotFound, ProductUnavailable } from "../catalog/CatalogErrors.js"
import type { CouponMinOrderAmountNotMet, CouponUseError } from "../coupons/CouponErrors.js"
import type { Payment } from "../payments/Payment.js"
import type { PaymentGatewayUnavailable, PaymentTransactionMismatch } from "../payments/PaymentErrors.js"
import type { GatewayCallback } from "../payments/PaymentGateway.js"
import type {
  InsufficientPoints,
  PointBalanceLimitExceeded,
  RefundExceedsUsage,
  WalletNotFound,
} from "../points/PointErrors.js"
import type { InvalidInput, PersistenceUnavailable } from "../shared/DomainError.js"
import type { OrderId, UserId } from "../shared/Ids.js"
import type { AmountOutOfRange } from "../shared/Money.js"
import type { Page, PageRequest } from "../shared/Pagination.js"
import { makeCardPayments, type ReconcileSummary } from "./CardPayments.js"
import type { Order } from "./Order.js"
import { makeOrderContext } from "./OrderContext.js"
import {
  type DiscountExceedsSubtotal,
  type InvalidOrderLines,
  type InvalidOrderStatus,
  OrderNotFound,
} from "./OrderErrors.js"
import type { OrderRecord } from "./OrderRepository.js"
import { makeSettlement } from "./OrderSettlement.js"
import { makePlaceOrder, type PlaceOrderInput } from "./PlaceOrder.js"

export type PlaceOrderError =
  | InvalidInput
  | InvalidOrderLines
  | ProductNotFound
  | ProductUnavailable
  | QuantityLimitExceeded
  | InsufficientStock
  | CouponUseError
  | CouponMinOrderAmountNotMet
  | InsufficientPoints
  | WalletNotFound
  | AmountOutOfRange
  | DiscountExceedsSubtotal
  | PersistenceUnavailable

/** Undoing an order: stock, coupon and points go back (failures here abort the whole undo). */
export type CompensationError =
  | InvalidInput
  | ProductNotFound
  | WalletNotFound
  | RefundExceedsUsage
  | PointBalanceLimitExceeded
  | PersistenceUnavailable

export type SettleError = OrderNotFound | PaymentTransactionMismatch | PaymentGatewayUnavailable | CompensationError

export class OrderService extends Context.Tag("@commerce-core/domain/OrderService")<
  OrderService,
  {
    /**
     * Places an order atomically (see PlaceOrder). POINT orders, and any order with nothing to
     * pay, come back PAID. CARD orders come back PENDING_PAYMENT after the gateway was asked,
     * outside the transaction; if the gateway is unavailable they stay pending and
     * reconciliation settles them.
     */
    readonly place: (input: PlaceOrderInput) => Effect.Effect<OrderRecord, PlaceOrderError>
    /** The owner's order; another user's order is OrderNotFound. */
    readonly get: (
      userId: UserId,
      orderId: OrderId,
    ) => Effect.Effect<OrderRecord, OrderNotFound | PersistenceUnavailable>
    readonly list: (userId: UserId, page: PageRequest) => Effect.Effect<Page<Order>, PersistenceUnavailable>
    /** PENDING_PAYMENT or PAID -> CANCELLED, releasing stock and coupon and refunding points. */
    readonly cancel: (
      userId: UserId,
      orderId: OrderId,
    ) => Effect.Effect<OrderRecord, OrderNotFound | InvalidOrderStatus | CompensationError>
    /**
     * A gateway callback: verified against the gateway, then applied once. A charge that paid
     * nothing (the order failed or was cancelled, or another charge paid it) is recorded as
     * owed back on the payment (REFUNDED with REFUND_OWED, or listed in `refundsOwed`).
     */
    readonly handleCallback: (
      callback: Pick<GatewayCallback, "transactionKey" | "orderId" | "status">,
    ) => Effect.Effect<Payment, SettleError>
    /** The owner asks for the payment's current state; a pending card payment is checked with the gateway. */
    readonly syncPayment: (userId: UserId, orderId: OrderId) => Effect.Effect<Payment, SettleError>
    /** Settles card payments pending for longer than `olderThan` by asking the gateway (a periodic job). */
    readonly reconcilePending: (options: {
      readonly olderThan: Duration.DurationInput
      readonly limit?: number
    }) => Effect.Effect<ReconcileSummary, PersistenceUnavailable>
  }
>() {}

export const OrderServiceLive = Layer.effect(
  OrderService,
  Effect.gen(function* () {
    const ctx = yield* makeOrderContext
    const settlement = makeSettlement(ctx)
    const card = makeCardPayments(ctx, settlement)
    const placeInTransaction = makePlaceOrder(ctx)

    const get = (userId: UserId, orderId: OrderId) =>
      Effect.flatMap(ctx.orders.findForUser(userId, orderId), (found) =>
        Option.match(found, {
          onNone: () => Effect.fail(new OrderNotFound({ orderId })),
          onSome: Effect.succeed,
        }),
      )

    return OrderService.of({
      place: (input) =>
        input.paymentType === "CARD"
          ? Effect.flatMap(placeInTransaction(input), (record) =>
              record.payment.status === "PENDING" ? card.requestAfterPlace(record) : Effect.succeed(record),
            )
          : placeInTransaction(input),
      get,
      list: (userId, page) => ctx.orders.pageByUser(userId, page),
      cancel: settlement.cancel,
      handleCallback: card.handleCallback,
      syncPayment: (userId, orderId) =>
        Effect.flatMap(get(userId, orderId), (record) => Effect.map(card.refresh(record), (r) => r.payment)),
      reconcilePending: card.reconcilePending,
    })
  }),
)
