import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Fiber, FastCheck as fc, type Layer } from "effect"
import type { DomainEvent } from "../../src/events/DomainEvent.js"
import { EventOutbox } from "../../src/events/EventOutbox.js"
import { OutboxRelayStore } from "../../src/pipeline/OutboxRelayStore.js"
import { Transactor } from "../../src/shared/Transactor.js"
import { productViews } from "../pipeline/PipelineFixtures.js"
import { domainEventsArb } from "./DomainEventArbitrary.js"

type Ports = EventOutbox | OutboxRelayStore | Transactor

/** Every stored, unpublished entry in outbox order (claimed by a relay that never publishes). */
const stored = Effect.gen(function* () {
  const store = yield* OutboxRelayStore
  const entries = yield* store.claim(10_000, "event-outbox-contract", 60_000)
  const sequences = entries.map((entry) => entry.sequence)
  expect([...sequences].sort((a, b) => a - b)).toEqual(sequences)
  expect(new Set(sequences).size).toBe(sequences.length)
  return entries.map((entry) => entry.event)
})

const idsOf = (events: ReadonlyArray<DomainEvent>) => events.map((event) => event.eventId)

/**
 * What every EventOutbox must guarantee, read back through OutboxRelayStore: events are stored
 * exactly when the transaction that appended them commits (a failed savepoint drops its own),
 * whole, unchanged and in append order; an append outside a transaction is stored at once.
 */
export const eventOutboxContract = (makeLayer: () => Layer.Layer<Ports, unknown>, numRuns = 30) => {
  describe("EventOutbox contract", () => {
    it.live("stores the events of a committed transaction whole, in append order", () =>
      Effect.gen(function* () {
        const outbox = yield* EventOutbox
        const tx = yield* Transactor
        const [a, b, c] = [yield* productViews([1, 2, 1]), yield* productViews([3]), yield* productViews([2, 1])]
        yield* tx.withTransaction(Effect.zipRight(outbox.append(a), outbox.append(b)))
        yield* tx.withTransaction(outbox.append(c))
        expect(yield* stored).toEqual([...a, ...b, ...c])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("an append outside any transaction is stored at once, in order", () =>
      Effect.gen(function* () {
        const outbox = yield* EventOutbox
        const [a, b] = [yield* productViews([4, 5, 4]), yield* productViews([5])]
        yield* outbox.append(a)
        yield* outbox.append(b)
        expect(yield* stored).toEqual([...a, ...b])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("appending no events stores nothing", () =>
      Effect.gen(function* () {
        const outbox = yield* EventOutbox
        const tx = yield* Transactor
        yield* outbox.append([])
        yield* tx.withTransaction(outbox.append([]))
        expect(yield* stored).toEqual([])
        expect(yield* Effect.flatMap(OutboxRelayStore, (store) => store.counts)).toEqual({ pending: 0, claimed: 0 })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("never stores the events of a transaction that fails, dies or is interrupted", () =>
      Effect.gen(function* () {
        const outbox = yield* EventOutbox
        const tx = yield* Transactor
        const appendThen = <E>(end: Effect.Effect<never, E>) =>
          Effect.flatMap(productViews([1, 2]), (events) => Effect.zipRight(outbox.append(events), end))
        expect(Exit.isFailure(yield* Effect.exit(tx.withTransaction(appendThen(Effect.fail("refused")))))).toBe(true)
        const died = yield* Effect.exit(tx.withTransaction(appendThen(Effect.dieMessage("bug"))))
        expect(Exit.isFailure(died) && Cause.isDie(died.cause)).toBe(true)
        const appended = yield* Deferred.make<void>()
        const fiber = yield* Effect.fork(
          tx.withTransaction(appendThen(Effect.zipRight(Deferred.succeed(appended, undefined), Effect.never))),
        )
        yield* Deferred.await(appended)
        expect(Exit.isInterrupted(yield* Fiber.interrupt(fiber))).toBe(true)
        const kept = yield* productViews([3])
        yield* tx.withTransaction(outbox.append(kept))
        expect(yield* stored).toEqual(kept)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a failed nested transaction drops only the events appended inside it", () =>
      Effect.gen(function* () {
        const outbox = yield* EventOutbox
        const tx = yield* Transactor
        const [a, b, c, d] = [
          yield* productViews([1]),
          yield* productViews([1, 2]),
          yield* productViews([2]),
          yield* productViews([1]),
        ]
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* outbox.append(a)
            const exit = yield* Effect.exit(
              tx.withTransaction(Effect.zipRight(outbox.append(b), Effect.fail("refused"))),
            )
            expect(Exit.isFailure(exit)).toBe(true)
            yield* tx.withTransaction(outbox.append(c))
            yield* outbox.append(d)
          }),
        )
        expect(yield* stored).toEqual([...a, ...c, ...d])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("concurrent transactions store exactly the committed ones' events, each in its append order", () =>
      Effect.gen(function* () {
        const outbox = yield* EventOutbox
        const tx = yield* Transactor
        // Transaction i appends three events of product i + 1 in two appends; odd ones then fail.
        const batches = yield* Effect.forEach(
          Array.from({ length: 100 }, (_, i) => i),
          (i) => productViews([i + 1, i + 1, i + 1]),
        )
        yield* Effect.all(
          batches.map((events, i) =>
            Effect.exit(
              tx.withTransaction(
                Effect.all([
                  outbox.append(events.slice(0, 1)),
                  Effect.yieldNow(),
                  outbox.append(events.slice(1)),
                  i % 2 === 0 ? Effect.void : Effect.fail("refused"),
                ]),
              ),
            ),
          ),
          { concurrency: "unbounded" },
        )
        const events = yield* stored
        const committed = batches.filter((_, i) => i % 2 === 0)
        expect(idsOf(events).sort()).toEqual(idsOf(committed.flat()).sort())
        for (const batch of committed) {
          expect(events.filter((event) => event.aggregateKey === batch[0]!.aggregateKey)).toEqual(batch)
        }
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("any events round-trip unchanged and in append order, however they are split", () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            domainEventsArb(24),
            fc.array(fc.integer({ min: 0, max: 24 }), { maxLength: 6 }),
            fc.boolean(),
            (events, cuts, inTransaction) => {
              // Split points cut the events into appends; every second append starts a new transaction.
              const bounds = [0, ...cuts.filter((cut) => cut <= events.length).sort((a, b) => a - b), events.length]
              const appends = bounds.slice(1).map((end, i) => events.slice(bounds[i], end))
              return Effect.runPromise(
                Effect.gen(function* () {
                  const outbox = yield* EventOutbox
                  const tx = yield* Transactor
                  for (let i = 0; i < appends.length; i += 2) {
                    const pair = Effect.zipRight(outbox.append(appends[i]!), outbox.append(appends[i + 1] ?? []))
                    yield* inTransaction ? tx.withTransaction(pair) : pair
                  }
                  expect(yield* stored).toEqual(events)
                }).pipe(Effect.provide(makeLayer())),
              )
            },
          ),
          { numRuns },
        ),
      ),
    )
  })
}
