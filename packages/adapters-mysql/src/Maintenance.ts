import type { PersistenceUnavailable } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"
import { affectedRows } from "./internal/Db.js"
import { statement } from "./internal/Transaction.js"

/**
 * Housekeeping a periodic job runs; none of it is needed for correctness. Deletes go in
 * bounded batches so that no single statement holds many locks or a long undo log.
 */
const run = statement()

/** Deletes idempotency records whose lease or retention ran out (they are never replayed again). */
export const purgeExpiredIdempotencyRecords = (
  batchSize = 1_000,
): Effect.Effect<number, PersistenceUnavailable, SqlClient> =>
  Effect.flatMap(SqlClient, (sql) =>
    run(sql`DELETE FROM idempotency_record WHERE expires_at <= UTC_TIMESTAMP(3) LIMIT ${batchSize}`.raw),
  ).pipe(Effect.map(affectedRows))

/**
 * Deletes outbox rows published before `before`. Unpublished rows are never touched, so
 * nothing a relay still has to send can be lost.
 */
export const purgePublishedOutbox = (
  before: Date,
  batchSize = 1_000,
): Effect.Effect<number, PersistenceUnavailable, SqlClient> =>
  Effect.flatMap(SqlClient, (sql) =>
    run(
      sql`DELETE FROM outbox_event WHERE published_at IS NOT NULL AND published_at < ${before}
      ORDER BY published_at LIMIT ${batchSize}`.raw,
    ),
  ).pipe(Effect.map(affectedRows))

/**
 * Deletes consumers' inbox rows (`event_handled`) written before `before`, except those of
 * an event the outbox still holds unpublished (a consumer that keeps failing has it
 * redelivered to all of them, and the others must still recognise it).
 *
 * The rule for `before`: the inbox retention must be longer than the outbox retention plus
 * the longest redelivery window (the relay's lease, 30 s by default). Once an event's
 * outbox row is published and purged, no relay can deliver it again, so forgetting that it
 * was handled is safe; a shorter inbox retention would let a redelivery be handled twice.
 */
export const purgeHandledEvents = (
  before: Date,
  batchSize = 1_000,
): Effect.Effect<number, PersistenceUnavailable, SqlClient> =>
  Effect.flatMap(SqlClient, (sql) =>
    run(
      sql`DELETE FROM event_handled WHERE handled_at < ${before}
      AND NOT EXISTS (SELECT 1 FROM outbox_event
        WHERE outbox_event.event_id = event_handled.event_id AND outbox_event.published_at IS NULL)
      ORDER BY handled_at LIMIT ${batchSize}`.raw,
    ),
  ).pipe(Effect.map(affectedRows))
