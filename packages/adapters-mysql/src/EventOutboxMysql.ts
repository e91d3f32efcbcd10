import { EventOutbox } from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { makeDb } from "./internal/Db.js"
import { appendAlone, outboxRowOf, PendingOutboxTag } from "./internal/PendingOutbox.js"

/**
 * Appends events as rows of `outbox_event`; the sequence orders publishing. Inside a
 * transaction the rows are inserted with its COMMIT (see PendingOutbox), outside one at once.
 */
export const EventOutboxMysql = Layer.effect(
  EventOutbox,
  Effect.gen(function* () {
    const { sql, run } = yield* makeDb
    return EventOutbox.of({
      append: (events) =>
        events.length === 0
          ? Effect.void
          : Effect.flatMap(Effect.serviceOption(PendingOutboxTag), (pending) =>
              Option.isSome(pending)
                ? Effect.sync(() => pending.value.add(events.map(outboxRowOf)))
                : Effect.suspend(() => run(appendAlone(sql, events.map(outboxRowOf)))).pipe(Effect.asVoid),
            ),
    })
  }),
)
