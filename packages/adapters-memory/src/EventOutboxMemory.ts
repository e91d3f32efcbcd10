import { type DomainEvent, EventOutbox, type PendingLease } from "@commerce-core/domain"
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

/**
 * Unpublished entries and their relay leases, keyed by sequence: a row exists exactly while
 * its outbox entry is unpublished, so a relay scans only what is pending, not all history.
 */
export class OutboxPendingTableMemory extends Context.Tag("@commerce-core/adapters-memory/OutboxPendingTableMemory")<
  OutboxPendingTableMemory,
  MemoryTable<number, PendingLease>
>() {}

/** Both outbox tables (entries and pending leases). */
export const OutboxTableMemoryLive: Layer.Layer<OutboxTableMemory | OutboxPendingTableMemory, never, MemoryDatabase> =
  Layer.effectContext(
    Effect.map(MemoryDatabase, (db) =>
      Context.make(OutboxTableMemory, db.table<number, OutboxEntry>("outbox", { keys: "sequence" })).pipe(
        Context.add(OutboxPendingTableMemory, db.table<number, PendingLease>("outbox_pending", { keys: "sequence" })),
      ),
    ),
  )

export const EventOutboxMemory = Layer.effect(
  EventOutbox,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const table = yield* OutboxTableMemory
    const pending = yield* OutboxPendingTableMemory
    return EventOutbox.of({
      append: (events) =>
        // The rows are written while the statement is built: it returns a finished Effect. A new
        // entry is both an outbox row and its unleased pending row (rows are immutable, and a
        // lease or publication writes a new one), so an appended event costs one row object.
        db.write((tx) => {
          for (const event of events) {
            const sequence = db.nextId("outbox")
            const row: OutboxEntry & PendingLease = {
              sequence,
              event,
              publishedAt: undefined,
              aggregateKey: event.aggregateKey,
              leaseOwner: undefined,
              leaseExpiresAt: 0,
            }
            tx.set(table, sequence, row)
            tx.set(pending, sequence, row)
          }
          return Effect.void
        }),
    })
  }),
)
