import { EventOutbox, encodeEventJson } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { makeDb } from "./internal/Db.js"

/** Appends events as rows of `outbox_event`, in the caller's transaction; the sequence orders publishing. */
export const EventOutboxMysql = Layer.effect(
  EventOutbox,
  Effect.gen(function* () {
    const { sql, run } = yield* makeDb
    return EventOutbox.of({
      append: (events) =>
        events.length === 0
          ? Effect.void
          : Effect.suspend(() =>
              run(
                sql`INSERT INTO outbox_event ${sql.insert(
                  events.map((event) => ({
                    event_id: event.eventId,
                    event_type: event._tag,
                    aggregate_key: event.aggregateKey,
                    // Throws on an event that breaks its own schema: a bug of its producer, a defect here.
                    payload: encodeEventJson(event),
                    occurred_at: event.occurredAt,
                  })),
                )}`.raw,
              ),
            ).pipe(Effect.asVoid),
    })
  }),
)
