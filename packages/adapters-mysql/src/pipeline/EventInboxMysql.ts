import { EventInbox } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { affectedRows, makeDb } from "../internal/Db.js"

/**
 * `event_handled`, unique per (consumer, event id). `INSERT IGNORE` inserts or reports a
 * repeat in one statement; inside the consumer's transaction a racing duplicate waits on the
 * key lock and then sees the winner's row (or takes over if the winner rolled back).
 */
export const EventInboxMysql = Layer.effect(
  EventInbox,
  Effect.gen(function* () {
    const { sql, run } = yield* makeDb
    return EventInbox.of({
      markHandled: (consumer, eventId) =>
        run(
          sql`INSERT IGNORE INTO event_handled (consumer, event_id, handled_at)
          VALUES (${consumer}, ${eventId}, UTC_TIMESTAMP(3))`.raw,
        ).pipe(Effect.map((raw) => affectedRows(raw) === 1)),
      // One INSERT IGNORE per id: a multi-row insert reports how many rows were new, not which.
      markHandledAll: (consumer, eventIds) =>
        Effect.forEach(eventIds, (eventId) =>
          run(
            sql`INSERT IGNORE INTO event_handled (consumer, event_id, handled_at)
            VALUES (${consumer}, ${eventId}, UTC_TIMESTAMP(3))`.raw,
          ).pipe(Effect.map((raw) => affectedRows(raw) === 1)),
        ),
      isHandled: (consumer, eventId) =>
        run(sql`SELECT 1 AS handled FROM event_handled WHERE consumer = ${consumer} AND event_id = ${eventId}`).pipe(
          Effect.map((rows) => rows.length > 0),
        ),
    })
  }),
)
