import { OutboxRelayStore, selectClaimAscending, validateClaim } from "@commerce-core/domain"
import { Clock, Effect, Layer } from "effect"
import { OutboxPendingTableMemory, OutboxTableMemory } from "../EventOutboxMemory.js"
import { MemoryDatabase } from "../MemoryDatabase.js"

/** The relay store over the memory outbox; each operation is one atomic statement. */
export const OutboxRelayStoreMemory = Layer.effect(
  OutboxRelayStore,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const outbox = yield* OutboxTableMemory
    const pending = yield* OutboxPendingTableMemory
    return OutboxRelayStore.of({
      claim: (batchSize, owner, leaseMs) =>
        Effect.gen(function* () {
          yield* validateClaim(batchSize, owner, leaseMs)
          const now = yield* Clock.currentTimeMillis
          return yield* db.write((tx) =>
            Effect.sync(() =>
              // pending rows are committed in sequence order (appends are serialised), so the scan stops at the batch
              selectClaimAscending(tx.scan(pending), { owner, now, batchSize }).map((sequence) => {
                const lease = tx.get(pending, sequence)!
                tx.set(pending, sequence, { ...lease, leaseOwner: owner, leaseExpiresAt: now + leaseMs })
                return { sequence, event: tx.get(outbox, sequence)!.event }
              }),
            ),
          )
        }),
      markPublished: (owner, sequences) =>
        Effect.gen(function* () {
          const publishedAt = new Date(yield* Clock.currentTimeMillis)
          return yield* db.write((tx) =>
            Effect.sync(() => {
              let marked = 0
              for (const sequence of sequences) {
                if (tx.get(pending, sequence)?.leaseOwner !== owner) continue
                tx.delete(pending, sequence)
                tx.set(outbox, sequence, { ...tx.get(outbox, sequence)!, publishedAt })
                marked += 1
              }
              return marked
            }),
          )
        }),
      release: (owner, sequences) =>
        db.write((tx) =>
          Effect.sync(() => {
            for (const sequence of sequences) {
              const lease = tx.get(pending, sequence)
              if (lease?.leaseOwner === owner)
                tx.set(pending, sequence, { ...lease, leaseOwner: undefined, leaseExpiresAt: 0 })
            }
          }),
        ),
      counts: Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        return yield* db.read((view) => {
          const rows = view.values(pending)
          const claimed = rows.filter((row) => row.leaseOwner !== undefined && row.leaseExpiresAt > now).length
          return { pending: rows.length, claimed }
        })
      }),
    })
  }),
)
