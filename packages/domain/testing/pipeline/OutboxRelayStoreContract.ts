import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, type Layer } from "effect"
import { EventOutbox } from "../../src/events/EventOutbox.js"
import { OutboxRelayStore } from "../../src/pipeline/OutboxRelayStore.js"
import { Transactor } from "../../src/shared/Transactor.js"
import { productViews } from "./PipelineFixtures.js"

const LONG = 60_000

const appendCommitted = (productIds: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const outbox = yield* EventOutbox
    const tx = yield* Transactor
    const events = yield* productViews(productIds)
    yield* tx.withTransaction(outbox.append(events))
    return events
  })

const eventIdsOf = (entries: ReadonlyArray<{ readonly event: { readonly eventId: string } }>) =>
  entries.map((entry) => entry.event.eventId)

const idsOf = (events: ReadonlyArray<{ readonly eventId: string }>) => events.map((event) => event.eventId)

/**
 * The behaviour every OutboxRelayStore adapter must show, through the port and EventOutbox
 * only. Tests run on real time (`it.live`); lease expiry uses 1 ms leases.
 */
export const outboxRelayStoreContract = (
  makeLayer: () => Layer.Layer<OutboxRelayStore | EventOutbox | Transactor, unknown>,
) => {
  describe("OutboxRelayStore contract", () => {
    it.live("claims nothing from an empty outbox", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        expect(yield* store.claim(10, "relay-a", LONG)).toEqual([])
        expect(yield* store.counts).toEqual({ pending: 0, claimed: 0 })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("claims committed events in outbox order, whole, up to the batch size", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        const events = yield* appendCommitted([1, 2, 3, 1, 2])
        const first = yield* store.claim(3, "relay-a", LONG)
        expect(first.map((entry) => entry.event)).toEqual(events.slice(0, 3))
        const sequences = first.map((entry) => entry.sequence)
        expect([...sequences].sort((a, b) => a - b)).toEqual(sequences)
        expect(new Set(sequences).size).toBe(3)
        expect(yield* store.counts).toEqual({ pending: 5, claimed: 3 })
        // The two later entries belong to aggregates whose earlier entries are leased.
        expect(yield* store.claim(10, "relay-a", LONG)).toEqual([])
        yield* store.release("relay-a", sequences)
        const all = yield* store.claim(10, "relay-a", LONG)
        expect(eventIdsOf(all)).toEqual(idsOf(events))
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("never hands a leased entry out again while the lease lives, not even to its owner", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        yield* appendCommitted([1, 2, 3])
        const a = yield* store.claim(10, "relay-a", LONG)
        expect(a).toHaveLength(3)
        expect(yield* store.claim(10, "relay-b", LONG)).toEqual([])
        expect(yield* store.claim(10, "relay-a", LONG)).toEqual([])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("holds back an aggregate whose earlier entry another owner is publishing", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        // product 1: e0, e2, e4; product 2: e1, e3
        const events = yield* appendCommitted([1, 2, 1, 2, 1])
        const a = yield* store.claim(1, "relay-a", LONG)
        expect(eventIdsOf(a)).toEqual([events[0]!.eventId])
        const b = yield* store.claim(10, "relay-b", LONG)
        expect(eventIdsOf(b)).toEqual([events[1]!.eventId, events[3]!.eventId])
        expect(
          yield* store.markPublished(
            "relay-a",
            a.map((entry) => entry.sequence),
          ),
        ).toBe(1)
        const b2 = yield* store.claim(10, "relay-b", LONG)
        expect(eventIdsOf(b2)).toEqual([events[2]!.eventId, events[4]!.eventId])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("reads past entries another owner holds to fill its batch", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        // product 1: e0, e2, e4; product 2: e1, e3, e5
        const events = yield* appendCommitted([1, 2, 1, 2, 1, 2])
        expect(eventIdsOf(yield* store.claim(1, "relay-a", LONG))).toEqual([events[0]!.eventId])
        expect(eventIdsOf(yield* store.claim(2, "relay-b", LONG))).toEqual([events[1]!.eventId, events[3]!.eventId])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("never hands out a published entry again", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        yield* appendCommitted([1, 2, 3, 4])
        const a = yield* store.claim(2, "relay-a", LONG)
        const sequences = a.map((entry) => entry.sequence)
        expect(yield* store.markPublished("relay-a", sequences)).toBe(2)
        expect(yield* store.markPublished("relay-a", sequences)).toBe(0)
        expect(yield* store.counts).toEqual({ pending: 2, claimed: 0 })
        const b = yield* store.claim(10, "relay-b", LONG)
        expect(b.map((entry) => entry.sequence).filter((s) => sequences.includes(s))).toEqual([])
        expect(b).toHaveLength(2)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("marks published only what the owner still holds", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        yield* appendCommitted([1, 2])
        const a = yield* store.claim(10, "relay-a", LONG)
        expect(
          yield* store.markPublished(
            "relay-b",
            a.map((entry) => entry.sequence),
          ),
        ).toBe(0)
        expect(yield* store.counts).toEqual({ pending: 2, claimed: 2 })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("release lets another owner claim at once", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        const events = yield* appendCommitted([1, 2])
        const a = yield* store.claim(10, "relay-a", LONG)
        yield* store.release(
          "relay-b",
          a.map((entry) => entry.sequence),
        )
        expect(yield* store.claim(10, "relay-b", LONG)).toEqual([])
        yield* store.release(
          "relay-a",
          a.map((entry) => entry.sequence),
        )
        expect(yield* store.counts).toEqual({ pending: 2, claimed: 0 })
        expect(eventIdsOf(yield* store.claim(10, "relay-b", LONG))).toEqual(idsOf(events))
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("an expired lease is claimed again and the old owner can no longer mark it", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        const events = yield* appendCommitted([1, 2])
        const a = yield* store.claim(10, "relay-a", 1)
        expect(a).toHaveLength(2)
        yield* Effect.sleep("30 millis")
        expect(yield* store.counts).toEqual({ pending: 2, claimed: 0 })
        const b = yield* store.claim(10, "relay-b", LONG)
        expect(eventIdsOf(b)).toEqual(idsOf(events))
        expect(
          yield* store.markPublished(
            "relay-a",
            a.map((entry) => entry.sequence),
          ),
        ).toBe(0)
        expect(
          yield* store.markPublished(
            "relay-b",
            b.map((entry) => entry.sequence),
          ),
        ).toBe(2)
        expect(yield* store.counts).toEqual({ pending: 0, claimed: 0 })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("an owner whose lease expired untaken may still mark it published", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        yield* appendCommitted([1])
        const a = yield* store.claim(10, "relay-a", 1)
        yield* Effect.sleep("30 millis")
        expect(
          yield* store.markPublished(
            "relay-a",
            a.map((entry) => entry.sequence),
          ),
        ).toBe(1)
        expect(yield* store.claim(10, "relay-b", LONG)).toEqual([])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("never sees events of a rolled-back transaction", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        const outbox = yield* EventOutbox
        const tx = yield* Transactor
        const doomed = yield* productViews([7, 8])
        const exit = yield* Effect.exit(tx.withTransaction(Effect.zipRight(outbox.append(doomed), Effect.fail("boom"))))
        expect(Exit.isFailure(exit)).toBe(true)
        const kept = yield* appendCommitted([9])
        expect(eventIdsOf(yield* store.claim(10, "relay-a", LONG))).toEqual(idsOf(kept))
        expect(yield* store.counts).toEqual({ pending: 1, claimed: 1 })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("rejects a claim it cannot honour with InvalidInput", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        for (const [batchSize, owner, leaseMs] of [
          [0, "relay-a", LONG],
          [1.5, "relay-a", LONG],
          [10, "", LONG],
          [10, "relay-a", 0],
        ] as const) {
          const error = yield* Effect.flip(store.claim(batchSize, owner, leaseMs))
          expect(error._tag).toBe("InvalidInput")
          expect((error as { code: string }).code).toBe("BAD_REQUEST")
        }
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("concurrent owners claim every entry exactly once, one owner per aggregate at a time", () =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        const productIds = Array.from({ length: 300 }, (_, i) => 1 + ((i * 7) % 13))
        const events = yield* appendCommitted(productIds)
        const holders = new Map<string, string>()
        const published: Array<string> = []
        const violations: Array<string> = []
        const relay = (owner: string) =>
          Effect.gen(function* () {
            while (true) {
              const batch = yield* store.claim(7, owner, LONG)
              if (batch.length === 0) return
              for (const entry of batch) {
                const holder = holders.get(entry.event.aggregateKey)
                if (holder !== undefined && holder !== owner) violations.push(entry.event.aggregateKey)
                holders.set(entry.event.aggregateKey, owner)
              }
              yield* Effect.yieldNow()
              for (const entry of batch) {
                holders.delete(entry.event.aggregateKey)
                published.push(entry.event.eventId)
              }
              expect(
                yield* store.markPublished(
                  owner,
                  batch.map((entry) => entry.sequence),
                ),
              ).toBe(batch.length)
            }
          })
        yield* Effect.all(
          Array.from({ length: 8 }, (_, i) => relay(`relay-${i}`)),
          { concurrency: "unbounded", discard: true },
        )
        expect(violations).toEqual([])
        expect([...published].sort()).toEqual(idsOf(events).sort())
        expect(yield* store.counts).toEqual({ pending: 0, claimed: 0 })
      }).pipe(Effect.provide(makeLayer())),
    )
  })
}
