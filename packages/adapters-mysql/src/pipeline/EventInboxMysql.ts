import { EventInbox } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { makeDb } from "../internal/Db.js"

/**
 * `event_handled`, unique per (consumer, event id), marked inside the consumer's transaction:
 * a racing deliverer of the same event waits on the locks this one holds and then sees its
 * rows (or takes over if it rolled back).
 */
export const EventInboxMysql = Layer.effect(
  EventInbox,
  Effect.gen(function* () {
    const { sql, run, joined } = yield* makeDb
    return EventInbox.of({
      // Two statements per batch, however long: a locking read of the marks already made (it
      // also locks the gaps of the missing ones, so a racing deliverer of the same events waits
      // for this transaction, or deadlocks and is retried, instead of inserting them too), then
      // one multi-row insert of the rest.
      markHandledAll: (consumer, eventIds) => {
        const distinct = [...new Set(eventIds)]
        if (distinct.length === 0) return Effect.succeed([])
        return joined(
          Effect.gen(function* () {
            const found = yield* run(sql<{ event_id: string }>`SELECT event_id FROM event_handled
              WHERE consumer = ${consumer} AND ${sql.in("event_id", distinct)} FOR UPDATE`)
            const before = new Set(found.map((row) => row.event_id))
            const fresh = distinct.filter((id) => !before.has(id))
            if (fresh.length > 0) {
              yield* run(
                sql`INSERT INTO event_handled (consumer, event_id, handled_at) VALUES ${sql.csv(
                  fresh.map((id) => sql`(${consumer}, ${id}, UTC_TIMESTAMP(3))`),
                )}`,
              )
            }
            const seen = new Set(before)
            return eventIds.map((id) => {
              if (seen.has(id)) return false
              seen.add(id)
              return true
            })
          }),
        )
      },
      isHandled: (consumer, eventId) =>
        run(sql`SELECT 1 AS handled FROM event_handled WHERE consumer = ${consumer} AND event_id = ${eventId}`).pipe(
          Effect.map((rows) => rows.length > 0),
        ),
    })
  }),
)
