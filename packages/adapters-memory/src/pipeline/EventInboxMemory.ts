import { type EventId, EventInbox } from "@commerce-core/domain"
import { Clock, Effect, Layer } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

interface HandledRow {
  readonly consumer: string
  readonly eventId: EventId
  readonly handledAt: Date
}

const keyOf = (consumer: string, eventId: EventId) => `${consumer}\u0000${eventId}`

/** The inbox (`event_handled`) in memory: one row per (consumer, eventId), checked and written in one statement. */
export const EventInboxMemory = Layer.effect(
  EventInbox,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const handled = db.table<string, HandledRow>("event_handled")
    return EventInbox.of({
      markHandled: (consumer, eventId) =>
        Effect.gen(function* () {
          const handledAt = new Date(yield* Clock.currentTimeMillis)
          return yield* db.write((tx) =>
            Effect.sync(() => {
              const key = keyOf(consumer, eventId)
              if (tx.get(handled, key) !== undefined) return false
              tx.set(handled, key, { consumer, eventId, handledAt })
              return true
            }),
          )
        }),
      isHandled: (consumer, eventId) => db.read((view) => view.get(handled, keyOf(consumer, eventId)) !== undefined),
    })
  }),
)
