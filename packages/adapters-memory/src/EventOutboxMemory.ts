import { type DomainEvent, EventOutbox } from "@commerce-core/domain"
import { Context, Effect, Layer } from "effect"
import { MemoryDatabase, type MemoryTable } from "./MemoryDatabase.js"

/** An outbox row: the event and its position in the outbox (the relay's publishing order). */
export interface OutboxEntry {
  readonly sequence: number
  readonly event: DomainEvent
  readonly publishedAt: Date | undefined
}

/** The outbox's table, shared by the appending port and the relay store. */
export class OutboxTableMemory extends Context.Tag("@commerce-core/adapters-memory/OutboxTableMemory")<
  OutboxTableMemory,
  MemoryTable<number, OutboxEntry>
>() {}

export const OutboxTableMemoryLive = Layer.effect(
  OutboxTableMemory,
  Effect.map(MemoryDatabase, (db) => db.table<number, OutboxEntry>("outbox")),
)

export const EventOutboxMemory = Layer.effect(
  EventOutbox,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const table = yield* OutboxTableMemory
    return EventOutbox.of({
      append: (events) =>
        db.write((tx) =>
          Effect.sync(() => {
            for (const event of events) {
              const sequence = db.nextId("outbox")
              tx.set(table, sequence, { sequence, event, publishedAt: undefined })
            }
          }),
        ),
    })
  }),
)
