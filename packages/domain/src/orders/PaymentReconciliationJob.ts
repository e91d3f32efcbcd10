import { Duration, Effect, Layer, Schedule } from "effect"
import { OrderService } from "./OrderService.js"

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
}

export const defaultReconciliationSchedule: ReconciliationSchedule = {
  every: Duration.seconds(30),
  olderThan: Duration.minutes(1),
  batchSize: 100,
}

/**
 * Runs OrderService.reconcilePending periodically for as long as the layer lives. A failed run
 * is logged and the next one runs on schedule.
 */
export const PaymentReconciliationJob = (schedule: ReconciliationSchedule = defaultReconciliationSchedule) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const orders = yield* OrderService
      const run = orders
        .reconcilePending({ olderThan: schedule.olderThan, limit: schedule.batchSize ?? 100 })
        .pipe(Effect.catchAllCause((cause) => Effect.logWarning("payment reconciliation failed", cause)))
      yield* Effect.forkScoped(Effect.repeat(run, Schedule.spaced(schedule.every)))
    }),
  )
