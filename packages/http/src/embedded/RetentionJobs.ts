import {
  type MemoryDatabase,
  type OutboxPendingTableMemory,
  type OutboxTableMemory,
  purgeHandledEvents as purgeHandledEventsMemory,
  purgePublishedOutbox as purgePublishedOutboxMemory,
} from "@commerce-core/adapters-memory"
import {
  purgeExpiredIdempotencyRecords,
  purgeHandledEvents,
  purgePublishedOutbox as purgePublishedOutboxMysql,
} from "@commerce-core/adapters-mysql"
import type { SqlClient } from "@effect/sql/SqlClient"
import { Clock, Duration, Effect, Either, Layer } from "effect"
import { every } from "./Jobs.js"

export interface RetentionSettings {
  readonly purgeEvery: Duration.DurationInput
  /** Published outbox entries older than this are deleted (pending ones never are). */
  readonly keepPublishedFor: Duration.DurationInput
  /**
   * Consumers' inbox rows (MySQL `event_handled`) older than this are deleted. Must exceed
   * `keepPublishedFor + redeliveryWindow`: only an event whose outbox entry is gone can no
   * longer be redelivered, and forgetting one that can would let it be handled twice.
   * Default: `keepPublishedFor` plus one hour.
   */
  readonly keepHandledFor?: Duration.DurationInput
  /** The longest an event can be delivered again after it was handled: the relay's lease (default 30 s). */
  readonly redeliveryWindow?: Duration.DurationInput
}

export const defaultRetentionSettings: RetentionSettings = {
  purgeEvery: "1 minute",
  keepPublishedFor: "10 minutes",
}

/**
 * The embedded default's retention: the memory store keeps every row on the heap, and each
 * product view leaves an outbox entry and an inbox row per consumer, so at thousands of views a
 * second the durable modes' hour of inbox rows would be gigabytes. Two minutes still exceeds one
 * minute of published entries plus the relay's 30 s redelivery window.
 */
export const memoryRetentionSettings: RetentionSettings = {
  purgeEvery: "10 seconds",
  keepPublishedFor: "1 minute",
  keepHandledFor: "2 minutes",
}

const DEFAULT_REDELIVERY_WINDOW = Duration.seconds(30)
const DEFAULT_HANDLED_MARGIN = Duration.hours(1)

/** The inbox retention of `settings`, or why it breaks the rule above. */
export const inboxRetention = (settings: RetentionSettings): Either.Either<Duration.Duration, string> => {
  const published = Duration.decode(settings.keepPublishedFor)
  const window = Duration.decode(settings.redeliveryWindow ?? DEFAULT_REDELIVERY_WINDOW)
  const handled = Duration.decode(settings.keepHandledFor ?? Duration.sum(published, DEFAULT_HANDLED_MARGIN))
  const minimum = Duration.sum(published, window)
  return Duration.greaterThan(handled, minimum)
    ? Either.right(handled)
    : Either.left(
        `keepHandledFor (${Duration.format(handled)}) must exceed keepPublishedFor plus the redelivery window (${Duration.format(minimum)})`,
      )
}

const cutoff = (keep: Duration.DurationInput) =>
  Effect.map(Clock.currentTimeMillis, (now) => new Date(now - Duration.toMillis(Duration.decode(keep))))

const BATCH = 1_000
/** Runs a bounded-batch delete until a batch comes back short (at most 100 batches a run). */
const drainBatches = <E, R>(batch: Effect.Effect<number, E, R>) =>
  Effect.iterate(
    { deleted: BATCH, batches: 0 },
    {
      while: (s) => s.deleted >= BATCH && s.batches < 100,
      body: (s) => Effect.map(batch, (deleted) => ({ deleted, batches: s.batches + 1 })),
    },
  )

/**
 * Bounds the memory of the embedded default: every product view appends an outbox entry and
 * an inbox row per interested consumer, which the memory store otherwise keeps forever.
 */
export const makeMemoryRetentionJobs = (
  settings: RetentionSettings = memoryRetentionSettings,
): Layer.Layer<never, never, MemoryDatabase | OutboxTableMemory | OutboxPendingTableMemory> =>
  Layer.scopedDiscard(
    Effect.flatMap(
      Either.match(inboxRetention(settings), { onLeft: Effect.dieMessage, onRight: Effect.succeed }),
      (keepHandledFor) =>
        Effect.all([
          every(
            "outbox-retention",
            settings.purgeEvery,
            Effect.flatMap(cutoff(settings.keepPublishedFor), purgePublishedOutboxMemory),
          ),
          every(
            "inbox-retention",
            settings.purgeEvery,
            Effect.flatMap(cutoff(keepHandledFor), purgeHandledEventsMemory),
          ),
        ]),
    ),
  )

/**
 * The same for MySQL: published outbox rows, idempotency records past their retention, and
 * the consumers' inbox past `keepHandledFor` (settings that break the inbox rule stop the
 * start with a defect naming them).
 */
export const makeMysqlRetentionJobs = (
  settings: RetentionSettings = defaultRetentionSettings,
): Layer.Layer<never, never, SqlClient> =>
  Layer.scopedDiscard(
    Effect.flatMap(
      Either.match(inboxRetention(settings), { onLeft: Effect.dieMessage, onRight: Effect.succeed }),
      (keepHandledFor) =>
        Effect.all([
          every(
            "outbox-retention",
            settings.purgeEvery,
            Effect.flatMap(cutoff(settings.keepPublishedFor), (before) =>
              drainBatches(purgePublishedOutboxMysql(before, BATCH)),
            ),
          ),
          every("idempotency-retention", settings.purgeEvery, drainBatches(purgeExpiredIdempotencyRecords(BATCH))),
          every(
            "inbox-retention",
            settings.purgeEvery,
            Effect.flatMap(cutoff(keepHandledFor), (before) => drainBatches(purgeHandledEvents(before, BATCH))),
          ),
        ]),
    ),
  )
