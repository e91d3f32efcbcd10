import { Duration, Effect, Layer, Schedule } from "effect"
import { ChargeRecheck, ChargeRecheckLive } from "./ChargeRecheck.js"
import { OrderService } from "./OrderService.js"

export interface ChargeRecheckSchedule {
  /** Time between sweeps; each asks the gateway once about every payment in the window. */
  readonly every: Duration.DurationInput
  /** See RecheckOptions.lookBack. */
  readonly lookBack: Duration.DurationInput
  readonly batchSize?: number
}

export const defaultChargeRecheckSchedule: ChargeRecheckSchedule = {
  every: Duration.hours(1),
  lookBack: Duration.hours(24),
  batchSize: 100,
}

export interface ReconciliationSchedule {
  /** Time between runs. */
  readonly every: Duration.DurationInput
  /**
   * Only payments untouched for this long are examined. Keep it above the gateway policy's
   * worst case for one request (timeout x (retries + 1) + backoff), so that a request still in
   * flight is never sent twice.
   */
  readonly olderThan: Duration.DurationInput
  readonly batchSize?: number
  /**
   * The sweep that finds charges of settled orders whose callback was lost (ChargeRecheck);
   * `defaultChargeRecheckSchedule` when absent, `false` to run none.
   */
  readonly recheck?: ChargeRecheckSchedule | false
}

export const defaultReconciliationSchedule: ReconciliationSchedule = {
  every: Duration.seconds(30),
  olderThan: Duration.minutes(1),
  batchSize: 100,
  recheck: defaultChargeRecheckSchedule,
}

/**
 * Runs OrderService.reconcilePending periodically for as long as the layer lives, and on its
 * own slower schedule the ChargeRecheck sweep of recently settled card payments. A failed run
 * is logged and the next one runs on schedule. Both are idempotent, so several processes may
 * run them at once (at the cost of asking the gateway more often).
 */
export const PaymentReconciliationJob = (schedule: ReconciliationSchedule = defaultReconciliationSchedule) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const orders = yield* OrderService
      const charges = yield* ChargeRecheck
      const run = orders
        .reconcilePending({ olderThan: schedule.olderThan, limit: schedule.batchSize ?? 100 })
        .pipe(Effect.catchAllCause((cause) => Effect.logWarning("payment reconciliation failed", cause)))
      yield* Effect.forkScoped(Effect.repeat(run, Schedule.spaced(schedule.every)))
      const recheck = schedule.recheck ?? defaultChargeRecheckSchedule
      if (recheck === false) return
      const sweep = charges
        .recheckSettled({ lookBack: recheck.lookBack, batchSize: recheck.batchSize ?? 100 })
        .pipe(Effect.catchAllCause((cause) => Effect.logWarning("charge recheck failed", cause)))
      yield* Effect.forkScoped(Effect.repeat(sweep, Schedule.spaced(recheck.every)))
    }),
  ).pipe(Layer.provide(ChargeRecheckLive))
