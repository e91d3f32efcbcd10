import { PaymentReconciliationJob, RankingService, SeoulCalendar } from "@commerce-core/domain"
import { Clock, type Duration, Effect, Layer, Schedule } from "effect"

export const every = <A, E, R>(name: string, interval: Duration.DurationInput, job: Effect.Effect<A, E, R>) =>
  Effect.forkScoped(
    job.pipe(
      Effect.tapErrorCause((cause) => Effect.logWarning(`job ${name} failed`, cause)),
      Effect.ignore,
      Effect.repeat(Schedule.spaced(interval)),
      Effect.delay("1 second"),
    ),
  )

export interface JobSettings {
  readonly reconcileEvery: Duration.DurationInput
  /**
   * A card payment pending for longer than this is asked about at the gateway; above the
   * gateway policy's worst case for one request, so a request in flight is never sent twice.
   */
  readonly reconcileOlderThan: Duration.DurationInput
  readonly rebuildPeriodsEvery: Duration.DurationInput
}

export const defaultJobSettings: JobSettings = {
  reconcileEvery: "10 seconds",
  reconcileOlderThan: "30 seconds",
  rebuildPeriodsEvery: "10 minutes",
}

const rankingJobs = (settings: JobSettings) =>
  Layer.scopedDiscard(
    Effect.gen(function* () {
      const ranking = yield* RankingService
      yield* every(
        "ranking-carry-over",
        "1 minute",
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const minutesIntoDay = Math.floor((now - SeoulCalendar.startOfDay(SeoulCalendar.compactDate(now))) / 60_000)
          if (minutesIntoDay >= 23 * 60 + 50) yield* ranking.carryOverToTomorrow()
        }),
      )
      yield* every(
        "ranking-periods",
        settings.rebuildPeriodsEvery,
        Effect.all([ranking.rebuildPeriod("weekly"), ranking.rebuildPeriod("monthly")]),
      )
    }),
  )

/**
 * The periodic work of a single-process deployment: reconciling card payments whose callback
 * never came, the 23:50 (Seoul) carry-over of the daily ranking board, and keeping the weekly
 * and monthly boards materialised. Each job is idempotent, so overlapping runs are harmless.
 */
export const makeEmbeddedJobs = (settings: JobSettings = defaultJobSettings) =>
  Layer.merge(
    PaymentReconciliationJob({ every: settings.reconcileEvery, olderThan: settings.reconcileOlderThan }),
    rankingJobs(settings),
  )

export const EmbeddedJobs = makeEmbeddedJobs()
