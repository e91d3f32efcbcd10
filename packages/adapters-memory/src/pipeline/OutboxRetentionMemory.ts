import { Effect } from "effect"
import { OutboxTableMemory } from "../EventOutboxMemory.js"
import { MemoryDatabase } from "../MemoryDatabase.js"

/**
 * Deletes outbox entries published before `before` and returns how many it deleted; pending
 * entries are never touched. Published entries are otherwise kept (tests read them), so a
 * long-running embedded process should run this now and then to bound its memory.
 */
export const purgePublishedOutbox = (before: Date): Effect.Effect<number, never, MemoryDatabase | OutboxTableMemory> =>
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const outbox = yield* OutboxTableMemory
    return yield* db.write((tx) =>
      Effect.sync(() => {
        let purged = 0
        for (const entry of tx.values(outbox)) {
          if (entry.publishedAt === undefined || entry.publishedAt.getTime() >= before.getTime()) continue
          tx.delete(outbox, entry.sequence)
          purged += 1
        }
        return purged
      }),
    )
  })
