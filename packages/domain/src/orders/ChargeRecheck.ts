import { Context, Duration, Effect, Either, Layer } from "effect"
import { isChargeRecorded, type Payment, touchedAt } from "../payments/Payment.js"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import { makeOrderContext, type OrderContext } from "./OrderContext.js"
import type { SettledPaymentCursor } from "./OrderRepository.js"
import { makeSettlement, type Settlement } from "./OrderSettlement.js"

export interface RecheckOptions {
  /**
   * Settled card payments touched (last gateway request, else last write) within this much
   * before the run are asked about. Keep it well above the registration window plus the
   * gateway's settling time, so that every charge settles while its order is still in it.
   */
  readonly lookBack: Duration.DurationInput
  /** Payments read and asked about per page; a run walks the whole window page by page. */
  readonly batchSize?: number
  /** Orders asked about at once (default 4). */
  readonly concurrency?: number
}

/** What one recheck run did. */
export interface RecheckSummary {
  /** Settled card payments read. */
  readonly examined: number
  /** Charges this run found unrecorded and that are now recorded (paying, or owed back). */
  readonly recorded: number
  /**
   * Payments not fully checked: the gateway could not be asked (unavailable, circuit open) or
   * one of its charges could not be applied (another amount, a storage failure). The next run
   * asks again.
   */
  readonly skipped: number
}

/**
 * Rechecks recently settled card payments against the gateway: every successful transaction of
 * the order that the payment does not account for yet (a duplicate or late charge whose
 * callback was lost) is applied through `Settlement.applyTransaction`, which records it as owed
 * back once. Idempotent: a charge already recorded, by a callback or an earlier run, is never
 * applied again, and a callback arriving later for it changes nothing.
 */
export class ChargeRecheck extends Context.Tag("@commerce-core/domain/ChargeRecheck")<
  ChargeRecheck,
  {
    /** One sweep of the look-back window; fails only when the payments cannot be read. */
    readonly recheckSettled: (options: RecheckOptions) => Effect.Effect<RecheckSummary, PersistenceUnavailable>
  }
>() {}

interface Outcome {
  readonly recorded: number
  readonly skipped: boolean
}

/**
 * Gateway calls go through `ctx.gateway`, the resilient one in every wiring (timeout, retries,
 * circuit breaker): a gateway failure skips that payment only, and an open circuit makes the
 * rest of the run skip fast instead of waiting on each call.
 */
export const makeChargeRecheck = (ctx: OrderContext, settlement: Settlement) => {
  const recheckOne = (payment: Payment): Effect.Effect<Outcome> =>
    Effect.gen(function* () {
      // No request was ever sent (nothing to pay, or no card): the gateway holds no transaction.
      if (payment.attempts === 0) return { recorded: 0, skipped: false }
      const transactions = yield* ctx.gateway.listTransactions(payment.orderId)
      let recorded = 0
      let skipped = false
      for (const transaction of transactions) {
        if (transaction.status !== "SUCCESS" || isChargeRecorded(payment, transaction.transactionKey)) continue
        const applied = yield* Effect.either(settlement.applyTransaction(payment.orderId, transaction))
        if (Either.isRight(applied) && isChargeRecorded(applied.right.payment, transaction.transactionKey)) {
          recorded++
          continue
        }
        skipped = true
        // Money moved that the order cannot account for (another amount, say): someone must look.
        yield* Effect.logWarning("charge recheck could not record a charge", {
          orderId: payment.orderId,
          transactionKey: transaction.transactionKey,
          error: Either.isLeft(applied) ? applied.left : "not recorded",
        })
      }
      return { recorded, skipped }
    }).pipe(
      Effect.catchAll((error) =>
        Effect.as(Effect.logDebug("charge recheck skipped an order", { orderId: payment.orderId, error }), {
          recorded: 0,
          skipped: true,
        }),
      ),
    )

  const recheckSettled = (options: RecheckOptions) =>
    Effect.gen(function* () {
      const now = yield* ctx.now
      const since = new Date(now.getTime() - Duration.toMillis(Duration.decode(options.lookBack)))
      const limit = Math.max(1, Math.floor(options.batchSize ?? 100))
      const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4))
      const summary = { examined: 0, recorded: 0, skipped: 0 }
      let after: SettledPaymentCursor | undefined
      for (;;) {
        const page = yield* ctx.orders.settledCardPayments({ since, after, limit })
        const outcomes = yield* Effect.forEach(page, recheckOne, { concurrency })
        summary.examined += page.length
        for (const outcome of outcomes) {
          summary.recorded += outcome.recorded
          if (outcome.skipped) summary.skipped++
        }
        const last = page.at(-1)
        if (last === undefined || page.length < limit) break
        after = { touchedAt: touchedAt(last), orderId: last.orderId }
      }
      if (summary.skipped > 0) {
        yield* Effect.logWarning("charge recheck skipped payments; the next run asks again", summary)
      }
      return summary satisfies RecheckSummary
    })

  return ChargeRecheck.of({ recheckSettled })
}

/** The recheck over the order context's ports (the gateway as provided: put it behind the resilience policy). */
export const ChargeRecheckLive = Layer.effect(
  ChargeRecheck,
  Effect.map(makeOrderContext, (ctx) => makeChargeRecheck(ctx, makeSettlement(ctx))),
)
