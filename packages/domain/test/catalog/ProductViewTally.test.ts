import { describe, expect, it } from "@effect/vitest"

import { Context, Effect, Exit, FastCheck as fc, Layer, Scope, TestClock } from "effect"
import { makeProductViewTally, ProductViewTally, ProductViewTallyLive } from "../../src/catalog/ProductViewTally.js"
import type { DomainEvent } from "../../src/events/DomainEvent.js"
import { EventOutbox } from "../../src/events/EventOutbox.js"
import { businessDateOf } from "../../src/ranking/BusinessDate.js"
import { PersistenceUnavailable } from "../../src/shared/DomainError.js"
import { IdGenerator, makeIdGenerator } from "../../src/shared/IdGenerator.js"
import { type EventId, ProductId } from "../../src/shared/Ids.js"

/** An outbox that records each append as one batch; `down` makes appends fail. */
const recordingOutbox = () => {
  const state = { down: false, batches: [] as Array<ReadonlyArray<DomainEvent>> }
  const layer = Layer.succeed(
    EventOutbox,
    EventOutbox.of({
      append: (events) =>
        Effect.suspend(() => {
          if (state.down) return Effect.fail(new PersistenceUnavailable({ reason: "outbox down" }))
          state.batches.push(events)
          return Effect.void
        }),
    }),
  )
  return { state, layer }
}

let nextId = 0
const ids = Layer.succeed(
  IdGenerator,
  makeIdGenerator(() => `view-${++nextId}` as EventId),
)

const viewsOf = (batches: ReadonlyArray<ReadonlyArray<DomainEvent>>) =>
  batches.flat().map((event) => {
    if (event._tag !== "ProductViewed") throw new Error(`unexpected ${event._tag}`)
    return { productId: event.productId, views: event.views, day: businessDateOf(event.occurredAt) }
  })

const p = ProductId.make

describe("ProductViewTally", () => {
  it.effect("a flush writes one event per product viewed, carrying its count and the time of its last view", () => {
    const outbox = recordingOutbox()
    return Effect.gen(function* () {
      const tally = yield* makeProductViewTally
      yield* TestClock.setTime(Date.parse("2026-11-21T01:00:00Z"))
      yield* tally.record(p(7))
      yield* tally.record(p(3))
      yield* TestClock.adjust("5 seconds")
      yield* tally.record(p(7))
      expect(outbox.state.batches).toEqual([])
      expect(yield* tally.flush).toBe(2)
      expect(outbox.state.batches).toHaveLength(1)
      expect(outbox.state.batches[0]).toMatchObject([
        { _tag: "ProductViewed", productId: 3, views: 1, aggregateKey: "product:3" },
        { _tag: "ProductViewed", productId: 7, views: 2, aggregateKey: "product:7" },
      ])
      expect(outbox.state.batches[0]![1]!.occurredAt.toISOString()).toBe("2026-11-21T01:00:05.000Z")
      // counted once: the next flush has nothing to write
      expect(yield* tally.flush).toBe(0)
      expect(outbox.state.batches).toHaveLength(1)
    }).pipe(Effect.provide(Layer.merge(outbox.layer, ids)))
  })

  it.effect("views on either side of Seoul midnight count on their own days", () => {
    const outbox = recordingOutbox()
    return Effect.gen(function* () {
      const tally = yield* makeProductViewTally
      yield* TestClock.setTime(Date.parse("2026-11-21T14:59:59Z")) // 23:59:59 in Seoul
      yield* tally.record(p(1))
      yield* tally.record(p(1))
      yield* TestClock.adjust("1 second")
      yield* tally.record(p(1))
      yield* tally.flush
      expect(viewsOf(outbox.state.batches)).toEqual([
        { productId: 1, views: 2, day: "20261121" },
        { productId: 1, views: 1, day: "20261122" },
      ])
    }).pipe(Effect.provide(Layer.merge(outbox.layer, ids)))
  })

  it.effect("a failed flush keeps its counts for the next one, added to the views since", () => {
    const outbox = recordingOutbox()
    return Effect.gen(function* () {
      const tally = yield* makeProductViewTally
      yield* tally.record(p(1))
      yield* tally.record(p(2))
      outbox.state.down = true
      const failed = yield* Effect.flip(tally.flush)
      expect(failed._tag).toBe("PersistenceUnavailable")
      yield* tally.record(p(1))
      outbox.state.down = false
      expect(yield* tally.flush).toBe(2)
      expect(viewsOf(outbox.state.batches).map(({ productId, views }) => ({ productId, views }))).toEqual([
        { productId: 1, views: 2 },
        { productId: 2, views: 1 },
      ])
    }).pipe(Effect.provide(Layer.merge(outbox.layer, ids)))
  })

  it.effect(
    "the live tally flushes a second after the first view since its last flush, and once more when its scope closes",
    () => {
      const outbox = recordingOutbox()
      return Effect.gen(function* () {
        const scope = yield* Scope.make()
        const context = yield* Layer.buildWithScope(ProductViewTallyLive("1 second"), scope)
        const tally = Context.get(context, ProductViewTally)
        yield* TestClock.adjust("1 hour")
        expect(outbox.state.batches).toEqual([]) // idle: nothing to write
        yield* tally.record(p(1))
        yield* TestClock.adjust("999 millis")
        expect(outbox.state.batches).toEqual([])
        yield* TestClock.adjust("1 millis")
        expect(viewsOf(outbox.state.batches)).toMatchObject([{ productId: 1, views: 1 }])
        yield* TestClock.adjust("1 hour")
        expect(outbox.state.batches).toHaveLength(1)
        yield* tally.record(p(2))
        yield* tally.record(p(2))
        yield* Scope.close(scope, Exit.void)
        expect(viewsOf(outbox.state.batches)).toMatchObject([
          { productId: 1, views: 1 },
          { productId: 2, views: 2 },
        ])
      }).pipe(Effect.provide(Layer.merge(outbox.layer, ids)))
    },
  )

  it.effect.prop(
    "whatever the views and however flushes (failed ones included) fall between them, every view is written exactly once",
    [
      fc.array(
        fc.oneof(
          { arbitrary: fc.record({ view: fc.integer({ min: 1, max: 5 }), minutes: fc.nat(600) }), weight: 4 },
          { arbitrary: fc.record({ flush: fc.boolean() }), weight: 1 },
        ),
        { maxLength: 80 },
      ),
    ],
    ([steps]) => {
      const outbox = recordingOutbox()
      return Effect.gen(function* () {
        const tally = yield* makeProductViewTally
        yield* TestClock.setTime(Date.parse("2026-11-21T00:00:00Z"))
        const expected = new Map<string, number>()
        for (const step of steps) {
          if ("view" in step) {
            yield* TestClock.adjust(`${step.minutes} minutes`)
            const day = businessDateOf(yield* Effect.clockWith((clock) => clock.currentTimeMillis))
            const key = `${day}:${step.view}`
            expected.set(key, (expected.get(key) ?? 0) + 1)
            yield* tally.record(p(step.view))
          } else {
            outbox.state.down = !step.flush
            yield* Effect.either(tally.flush)
          }
        }
        outbox.state.down = false
        yield* tally.flush
        const written = new Map<string, number>()
        for (const { productId, views, day } of viewsOf(outbox.state.batches)) {
          const key = `${day}:${productId}`
          written.set(key, (written.get(key) ?? 0) + views)
        }
        expect(written).toEqual(expected)
      }).pipe(Effect.provide(Layer.merge(outbox.layer, ids)))
    },
  )
})
