import {
  addBusinessDays,
  BusinessDate,
  type DomainEvent,
  defaultRankingWeights,
  deliverBatch,
  PRODUCT_METRICS_CONSUMER_NAME,
  pointsOfMetrics,
  RANKING_CONSUMER_NAME,
} from "@commerce-core/domain"
import { buildRankingEvent, rankingEventSpecArb, rankingEventsFirstDay } from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fc from "fast-check"
import { EventInboxMemory } from "../../src/pipeline/EventInboxMemory.js"
import { appendToOutbox, consumers, makeInbox, outboxEvents, rankingTestLayer, snapshot } from "./RankingTestLayer.js"

const days = [0, 1, 2].map((n) => addBusinessDays(BusinessDate.make(rankingEventsFirstDay), n))
const specsArb = fc.array(rankingEventSpecArb(8, 3), { minLength: 1, maxLength: 40 })

/**
 * Publishes the specs through the outbox, then delivers `order(events)` to both consumers
 * through the inbox; returns the final boards and metrics.
 */
const deliver = (
  specs: ReadonlyArray<Parameters<typeof buildRankingEvent>[0]>,
  order: (events: ReadonlyArray<DomainEvent>) => ReadonlyArray<DomainEvent>,
  concurrency: number | "unbounded" = 1,
) =>
  Effect.gen(function* () {
    yield* appendToOutbox(yield* Effect.forEach(specs, buildRankingEvent))
    const inbox = yield* makeInbox
    const [ranking, metrics] = yield* consumers
    const events = order(yield* outboxEvents)
    yield* Effect.forEach(events, (event) => Effect.all([inbox(ranking, event), inbox(metrics, event)]), {
      concurrency,
      discard: true,
    })
    return yield* snapshot(days)
  }).pipe(Effect.provide(rankingTestLayer()))

const run = <A>(effect: Effect.Effect<A, unknown>) => Effect.runPromise(effect)

describe("ranking consumers", () => {
  it("have distinct, stable inbox names", () => {
    expect([RANKING_CONSUMER_NAME, PRODUCT_METRICS_CONSUMER_NAME]).toEqual(["ranking-daily-board", "product-metrics"])
  })

  it(
    "any delivery order gives the same boards and metrics (property)",
    () =>
      fc.assert(
        fc.asyncProperty(specsArb, fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), async (specs, keys) => {
          const shuffle = (events: ReadonlyArray<DomainEvent>) =>
            events
              .map((event, i) => ({ event, key: keys[i]! }))
              .sort((a, b) => a.key - b.key)
              .map(({ event }) => event)
          const inOrder = await run(deliver(specs, (events) => events))
          const shuffled = await run(deliver(specs, shuffle))
          expect(shuffled).toEqual(inOrder)
        }),
        { numRuns: 40 },
      ),
    60_000,
  )

  it(
    "duplicated deliveries through the inbox change nothing (property)",
    () =>
      fc.assert(
        fc.asyncProperty(
          specsArb,
          fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 40, maxLength: 40 }),
          async (specs, copies) => {
            const once = await run(deliver(specs, (events) => events))
            const duplicated = await run(
              deliver(specs, (events) => [
                ...events.flatMap((e, i) => Array.from({ length: copies[i]! }, () => e)),
                ...events,
              ]),
            )
            expect(duplicated).toEqual(once)
          },
        ),
        { numRuns: 40 },
      ),
    60_000,
  )

  it(
    "batched delivery through the real inbox, in any chunks with repeats, equals one-by-one delivery (property)",
    () =>
      fc.assert(
        fc.asyncProperty(
          specsArb,
          fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 40 }),
          fc.array(fc.nat(39), { maxLength: 10 }),
          async (specs, chunkSizes, repeats) => {
            const once = await run(deliver(specs, (events) => events))
            const batched = await run(
              Effect.gen(function* () {
                yield* appendToOutbox(yield* Effect.forEach(specs, buildRankingEvent))
                const events = yield* outboxEvents
                const stream = [...events, ...repeats.flatMap((i) => (i < events.length ? [events[i]!] : []))]
                const chunks: Array<ReadonlyArray<DomainEvent>> = []
                for (let at = 0, k = 0; at < stream.length; k++) {
                  const size = chunkSizes[k % chunkSizes.length]!
                  chunks.push(stream.slice(at, at + size))
                  at += size
                }
                for (const consumer of yield* consumers) {
                  for (const chunk of chunks) yield* deliverBatch(consumer, chunk)
                }
                return yield* snapshot(days)
              }).pipe(Effect.provide(Layer.provideMerge(EventInboxMemory, rankingTestLayer()))),
            )
            expect(batched).toEqual(once)
          },
        ),
        { numRuns: 40 },
      ),
    60_000,
  )

  it("without the inbox a duplicate would count twice, so the guard is what keeps effects exactly-once", () =>
    run(
      Effect.gen(function* () {
        const [ranking] = yield* consumers
        yield* appendToOutbox([yield* buildRankingEvent({ kind: "like", productId: 1, day: 0, minute: 0 })])
        const [like] = yield* outboxEvents
        yield* ranking.handle(like!)
        yield* ranking.handle(like!)
        const { boards } = yield* snapshot(days)
        expect(boards[0]).toEqual([{ rank: 1, productId: 1, points: 400 }])
      }).pipe(Effect.provide(rankingTestLayer())),
    ))

  it("hundreds of concurrent deliveries give the same state as one-by-one delivery", () =>
    run(
      Effect.gen(function* () {
        const specs = fc.sample(rankingEventSpecArb(12, 3), { numRuns: 400, seed: 42 })
        const sequential = yield* deliver(specs, (events) => events)
        const concurrent = yield* deliver(specs, (events) => [...events, ...events].reverse(), "unbounded")
        expect(concurrent).toEqual(sequential)
        expect(sequential.boards.flat().length).toBeGreaterThan(0)
      }),
    ))

  it(
    "each live daily board equals the weighted metrics of its day (property)",
    () =>
      fc.assert(
        fc.asyncProperty(specsArb, async (specs) => {
          const { boards, rows } = await run(deliver(specs, (events) => events))
          days.forEach((day, i) => {
            const fromMetrics = rows
              .filter((row) => row.date === day)
              .map((row) => ({ productId: row.productId, points: pointsOfMetrics(row, defaultRankingWeights) }))
            const onBoard = boards[i]!.map(({ productId, points }) => ({ productId, points }))
            expect(onBoard.sort((a, b) => a.productId - b.productId)).toEqual(fromMetrics)
          })
        }),
        { numRuns: 40 },
      ),
    60_000,
  )
})
