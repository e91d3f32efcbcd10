import type { EventId } from "@commerce-core/domain"
import { Effect } from "effect"
import { OutboxPendingTableMemory, OutboxTableMemory } from "../EventOutboxMemory.js"
import { MemoryDatabase } from "../MemoryDatabase.js"
import { type HandledRow, INBOX_TABLE, inboxKeyOf } from "./EventInboxMemory.js"

/**
 * Deletes inbox rows handled before `before` and returns how many it deleted. A row whose
 * event is still pending in the outbox is kept: that event can still be delivered again, and
 * forgetting it would let a consumer handle it twice. Callers keep handled rows longer than
 * published outbox entries plus the relay's redelivery window (the HTTP entry enforces it).
 */
export const purgeHandledEvents = (
  before: Date,
): Effect.Effect<number, never, MemoryDatabase | OutboxTableMemory | OutboxPendingTableMemory> =>
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const outbox = yield* OutboxTableMemory
    const pending = yield* OutboxPendingTableMemory
    const handled = db.table<string, HandledRow>(INBOX_TABLE)
    return yield* db.write((tx) => {
      const stillDeliverable = new Set<EventId>()
      for (const lease of tx.values(pending)) {
        const entry = tx.get(outbox, lease.sequence)
        if (entry) stillDeliverable.add(entry.event.eventId)
      }
      let purged = 0
      for (const row of tx.values(handled)) {
        if (row.handledAt.getTime() >= before.getTime() || stillDeliverable.has(row.eventId)) continue
        tx.delete(handled, inboxKeyOf(row.consumer, row.eventId))
        purged += 1
      }
      return Effect.succeed(purged)
    })
  })
