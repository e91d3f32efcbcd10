import { Duration, Effect, Option } from "effect"
import type { PaymentGatewayUnavailable } from "../payments/PaymentErrors.js"
import { PaymentTransactionMismatch } from "../payments/PaymentErrors.js"
import type { GatewayCallback, GatewayTransaction } from "../payments/PaymentGateway.js"
import type { OrderContext } from "./OrderContext.js"
import type { OrderRecord } from "./OrderRepository.js"
import { NEVER_REACHED, type Settlement } from "./OrderSettlement.js"

/** What a reconciliation run did, per outcome. */
export interface ReconcileSummary {
  readonly examined: number
  readonly paid: number
  readonly failed: number
  /** Still pending at the gateway, or the gateway could not be asked. */
  readonly pending: number
  /** Gateway requests sent again because the gateway had never received one. */
  readonly resent: number
}

/**
 * Card payments outside any transaction: the gateway is called only after the order committed,
 * and every answer is applied through `Settlement.applyTransaction`, which is idempotent.
 */
export const makeCardPayments = (ctx: OrderContext, settlement: Settlement) => {
  /** Sends the request that the caller has claimed (attempt already counted). */
  const sendRequest = (record: OrderRecord) =>
    Effect.gen(function* () {
      const card = record.payment.card
      if (card === undefined) return record
      const transaction = yield* ctx.gateway.requestPayment({
        orderId: record.order.id,
        amount: record.payment.amount,
        card,
        callbackUrl: ctx.settings.callbackUrl,
      })
      return yield* settlement.applyTransaction(record.order.id, transaction)
    })

  /**
   * After placing. The order is committed whatever happens here: an unreachable gateway (or a
   * failure while applying its answer) leaves it PENDING_PAYMENT for reconciliation.
   */
  const requestAfterPlace = (record: OrderRecord) => Effect.catchAll(sendRequest(record), () => Effect.succeed(record))

  /**
   * The gateway's transaction for this payment: by its key, else among the order's: a charged
   * one first (money moved, whatever else happened), then the latest.
   */
  const lookUp = (record: OrderRecord): Effect.Effect<Option.Option<GatewayTransaction>, PaymentGatewayUnavailable> => {
    const key = record.payment.transactionKey
    if (key !== undefined) return ctx.gateway.getTransaction(key)
    return Effect.map(ctx.gateway.listTransactions(record.order.id), (all) =>
      Option.fromNullable(all.find((t) => t.status === "SUCCESS") ?? all.at(-1)),
    )
  }

  /**
   * Asks the gateway and applies its answer. With `resend`, a payment the gateway has no
   * transaction for is requested again (after claiming the attempt, so concurrent
   * reconcilers never both send), or failed once its attempts are used up.
   */
  const reconcileOne = (record: OrderRecord, resend: boolean) =>
    Effect.gen(function* () {
      if (record.payment.type !== "CARD" || record.payment.status !== "PENDING") return { record, resent: false }
      const found = yield* lookUp(record)
      if (Option.isSome(found)) {
        return { record: yield* settlement.applyTransaction(record.order.id, found.value), resent: false }
      }
      if (!resend) return { record, resent: false }
      if (record.order.status !== "PENDING_PAYMENT") {
        return { record: yield* settlement.closeUnreached(record.order.id), resent: false }
      }
      const at = yield* ctx.now
      if (record.payment.attempts >= ctx.settings.maxAttempts) {
        const failed = yield* ctx.tx.withTransaction(
          Effect.flatMap(settlement.load(record.order.id), (current) =>
            settlement.failPayment(current, NEVER_REACHED, undefined, at),
          ),
        )
        return { record: failed, resent: false }
      }
      const claimed = yield* ctx.orders.claimPaymentAttempt(record.order.id, record.payment.attempts, at)
      if (!claimed) return { record, resent: false }
      return { record: yield* sendRequest(record), resent: true }
    })

  /** The user's "sync": ask the gateway now, never resend. */
  const refresh = (record: OrderRecord) => Effect.map(reconcileOne(record, false), (r) => r.record)

  /** A callback is only a hint: the gateway's own record of the transaction decides. */
  const handleCallback = (callback: Pick<GatewayCallback, "transactionKey" | "orderId">) =>
    Effect.gen(function* () {
      yield* settlement.load(callback.orderId)
      const found = yield* ctx.gateway.getTransaction(callback.transactionKey)
      if (Option.isNone(found)) {
        return yield* new PaymentTransactionMismatch({
          transactionKey: callback.transactionKey,
          reason: "unknown to the gateway",
        })
      }
      return (yield* settlement.applyTransaction(callback.orderId, found.value)).payment
    })

  const reconcilePending = (options: { readonly olderThan: Duration.DurationInput; readonly limit?: number }) =>
    Effect.gen(function* () {
      const now = yield* ctx.now
      const before = new Date(now.getTime() - Duration.toMillis(Duration.decode(options.olderThan)))
      const payments = yield* ctx.orders.pendingCardPayments(before, options.limit ?? 100)
      const outcomes = yield* Effect.forEach(
        payments,
        (payment) =>
          Effect.gen(function* () {
            const { record, resent } = yield* reconcileOne(yield* settlement.load(payment.orderId), true)
            return { status: record.payment.status, resent }
          }).pipe(Effect.catchAll(() => Effect.succeed({ status: "PENDING" as const, resent: false }))),
        { concurrency: 8 },
      )
      return {
        examined: outcomes.length,
        paid: outcomes.filter((o) => o.status === "SUCCESS").length,
        failed: outcomes.filter((o) => o.status === "FAILED").length,
        pending: outcomes.filter((o) => o.status === "PENDING").length,
        resent: outcomes.filter((o) => o.resent).length,
      } satisfies ReconcileSummary
    })

  return { requestAfterPlace, refresh, handleCallback, reconcilePending }
}
