import { type EventId, EventInbox } from "@commerce-core/domain"
import { Clock, Effect, Layer } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

export interface HandledRow {
  readonly consumer: string
  readonly eventId: EventId
  readonly handledAt: Date
}

/** The inbox's table name; the retention purge opens the same table. */
export const INBOX_TABLE = "event_handled"

export const inboxKeyOf = (consumer: string, eventId: EventId) => `${consumer}\u0000${eventId}`

/** The inbox (`event_handled`) in memory: one row per (consumer, eventId), checked and written in one statement. */
export const EventInboxMemory = Layer.effect(
  EventInbox,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const handled = db.table<string, HandledRow>(INBOX_TABLE)
    return EventInbox.of({
      markHandledAll: (consumer, eventIds) =>
        Effect.gen(function* () {
          const handledAt = new Date(yield* Clock.currentTimeMillis)
          return yield* db.write((tx) =>
            Effect.sync(() =>
              eventIds.map((eventId) => {
                const key = inboxKeyOf(consumer, eventId)
                if (tx.get(handled, key) !== undefined) return false
                tx.set(handled, key, { consumer, eventId, handledAt })
                return true
              }),
            ),
          )
        }),
      isHandled: (consumer, eventId) =>
        db.read((view) => view.get(handled, inboxKeyOf(consumer, eventId)) !== undefined),
    })
  }),
)
