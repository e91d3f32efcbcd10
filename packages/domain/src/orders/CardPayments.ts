import { Duration, Effect, Option } from "effect"
import type { PaymentGatewayUnavailable } from "../payments/PaymentErrors.js"
import { PaymentTransactionMismatch } from "../payments/PaymentErrors.js"
import type { GatewayCallback, GatewayTransaction } from "../payments/PaymentGateway.js"
import { defaultCardPaymentSettings, type OrderContext } from "./OrderContext.js"
import type { OrderRecord } from "./OrderRepository.js"
import type { Settlement } from "./OrderSettlement.js"

/** What a reconciliation run did, per outcome: examined = paid + failed + pending + refunded + cancelled. */
export interface ReconcileSummary {
  readonly examined: number
  readonly paid: number
  readonly failed: number
  /** Still pending at the gateway, or the gateway could not be asked. */
  readonly pending: number
  /** Cancelled orders whose card was charged: the charge is recorded as owed back. */
  readonly refunded: number
  /** Cancelled orders whose request was declined or never received: nothing was charged. */
  readonly cancelled: number
  /** Gateway requests sent again because the gateway had never received one (any outcome). */
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
   * The gateway's transactions for this payment, the one to apply first: by its key, else the
   * order's, a charged one first (money moved, whatever else happened), then the latest; then
   * every other charged one (a resent request charged too), to be recorded as owed back.
   */
  const lookUp = (record: OrderRecord): Effect.Effect<ReadonlyArray<GatewayTransaction>, PaymentGatewayUnavailable> => {
    const key = record.payment.transactionKey
    if (key !== undefined) return Effect.map(ctx.gateway.getTransaction(key), Option.toArray)
    return Effect.map(ctx.gateway.listTransactions(record.order.id), (all) => {
      const first = all.find((t) => t.status === "SUCCESS") ?? all.at(-1)
      if (first === undefined) return []
      return [first, ...all.filter((t) => t !== first && t.status === "SUCCESS")]
    })
  }

  const registrationWindow = Duration.toMillis(
    Duration.decode(ctx.settings.registrationWindow ?? defaultCardPaymentSettings.registrationWindow ?? 0),
  )

  /**
   * Asks the gateway and applies its answer. With `resend`, a payment the gateway has no
   * transaction for is requested again (after claiming the attempt, so concurrent
   * reconcilers never both send), or failed once its attempts are used up.
   */
  const reconcileOne = (record: OrderRecord, resend: boolean) =>
    Effect.gen(function* () {
      if (record.payment.type !== "CARD" || record.payment.status !== "PENDING") return { record, resent: false }
      const found = yield* lookUp(record)
      if (found.length > 0) {
        let applied = record
        for (const transaction of found) applied = yield* settlement.applyTransaction(record.order.id, transaction)
        return { record: applied, resent: false }
      }
      if (!resend) return { record, resent: false }
      const at = yield* ctx.now
      const lastRequest = record.payment.lastAttemptAt ?? record.payment.updatedAt
      // The last request may still register: deciding now could drop its charge or send a second.
      if (at.getTime() - lastRequest.getTime() < registrationWindow) return { record, resent: false }
      if (record.order.status !== "PENDING_PAYMENT") {
        return { record: yield* settlement.closeUnreached(record.order.id), resent: false }
      }
      // Without the card (never kept, or dropped) a request cannot be resent: the order fails.
      if (record.payment.attempts >= ctx.settings.maxAttempts || record.payment.card === undefined) {
        return { record: yield* settlement.failUnreached(record.order.id, at), resent: false }
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
            return { status: record.payment.status as string, resent }
          }).pipe(Effect.catchAll(() => Effect.succeed({ status: "PENDING", resent: false }))),
        { concurrency: 8 },
      )
      const count = (status: string) => outcomes.filter((o) => o.status === status).length
      return {
        examined: outcomes.length,
        paid: count("SUCCESS"),
        failed: count("FAILED"),
        pending: count("PENDING"),
        refunded: count("REFUNDED"),
        cancelled: count("CANCELLED"),
        resent: outcomes.filter((o) => o.resent).length,
      } satisfies ReconcileSummary
    })

  return { requestAfterPlace, refresh, handleCallback, reconcilePending }
}
