import {
  type MemoryDatabase,
  type OutboxTableMemory,
  purgePublishedOutbox as purgePublishedOutboxMemory,
} from "@commerce-core/adapters-memory"
import {
  purgeExpiredIdempotencyRecords,
  purgePublishedOutbox as purgePublishedOutboxMysql,
} from "@commerce-core/adapters-mysql"
import type { SqlClient } from "@effect/sql/SqlClient"
import { Clock, Duration, Effect, Layer } from "effect"
import { every } from "./Jobs.js"

export interface RetentionSettings {
  readonly purgeEvery: Duration.DurationInput
  /** Published outbox entries older than this are deleted (pending ones never are). */
  readonly keepPublishedFor: Duration.DurationInput
}

export const defaultRetentionSettings: RetentionSettings = {
  purgeEvery: "1 minute",
  keepPublishedFor: "10 minutes",
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
 * Bounds the memory of the embedded default: every product view appends an outbox entry,
 * which the memory outbox otherwise keeps forever once published.
 */
export const makeMemoryRetentionJobs = (
  settings: RetentionSettings = defaultRetentionSettings,
): Layer.Layer<never, never, MemoryDatabase | OutboxTableMemory> =>
  Layer.scopedDiscard(
    every(
      "outbox-retention",
      settings.purgeEvery,
      Effect.flatMap(cutoff(settings.keepPublishedFor), purgePublishedOutboxMemory),
    ),
  )

/** The same for MySQL: published outbox rows, and idempotency records past their retention. */
export const makeMysqlRetentionJobs = (
  settings: RetentionSettings = defaultRetentionSettings,
): Layer.Layer<never, never, SqlClient> =>
  Layer.scopedDiscard(
    Effect.all([
      every(
        "outbox-retention",
        settings.purgeEvery,
        Effect.flatMap(cutoff(settings.keepPublishedFor), (before) =>
          drainBatches(purgePublishedOutboxMysql(before, BATCH)),
        ),
      ),
      every("idempotency-retention", settings.purgeEvery, drainBatches(purgeExpiredIdempotencyRecords(BATCH))),
    ]),
  )
