import {
  EventInboxMemory,
  IdGeneratorRandom,
  MemoryDatabaseLive,
  TransactorMemory,
} from "@commerce-core/adapters-memory"
import {
  aggregateKey,
  BusinessDate,
  businessDateOf,
  DAILY_BOARD_TTL_MILLIS,
  deliverBatch,
  type EventConsumer,
  makeRankingConsumer,
  newEvent,
  PageRequest,
  PersistenceUnavailable,
  ProductId,
  RankingBoard,
  RankingWeightsDefault,
  UserId,
} from "@commerce-core/domain"
import { rankingBoardContract } from "@commerce-core/domain/testing"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fc from "fast-check"
import { RankingBoardRedis, RedisClient } from "../src/index.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"

const day = BusinessDate.make("20261121")
const nextDay = BusinessDate.make("20261122")
const p = (n: number) => ProductId.make(n)

const boardOf = (date: BusinessDate) =>
  Effect.flatMap(RankingBoard, (board) =>
    Effect.map(board.top(date, new PageRequest({ page: 0, size: 100 })), (page) =>
      page.items.map((item) => [item.productId as number, item.points] as const),
    ),
  )

/** The key's PTTL, which must be the full TTL less the few milliseconds since it was set. */
const expectFullTtl = (...parts: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const redis = yield* RedisClient
    const pttl = yield* redis.run("pttl", (client) => client.pttl(redis.key(...parts)))
    expect(pttl).toBeGreaterThan(DAILY_BOARD_TTL_MILLIS - 5_000)
    expect(pttl).toBeLessThanOrEqual(DAILY_BOARD_TTL_MILLIS)
  })

/** Cuts the key's TTL to a minute, so that a later full TTL shows a refresh. */
const shortenTtl = (...parts: ReadonlyArray<string>) =>
  Effect.flatMap(RedisClient, (redis) => redis.run("pexpire", (client) => client.pexpire(redis.key(...parts), 60_000)))

describeRedis("RankingBoardRedis", () => {
  const redis = useTestRedis()
  rankingBoardContract(() => RankingBoardRedis.pipe(Layer.provide(redis.fresh())))

  it.live("every increment sets the board's TTL to 2 days", () =>
    Effect.gen(function* () {
      const board = yield* RankingBoard
      yield* board.increment(day, [{ productId: p(1), points: 700 }])
      yield* expectFullTtl("ranking", "all", day)
      yield* shortenTtl("ranking", "all", day)
      yield* board.increment(day, [{ productId: p(2), points: 100 }])
      yield* expectFullTtl("ranking", "all", day)
      yield* shortenTtl("ranking", "all", day)
      yield* board.incrementEvents(day, [{ eventId: "event-1", entries: [{ productId: p(3), points: 200 }] }])
      yield* expectFullTtl("ranking", "all", day)
      yield* expectFullTtl("ranking", "applied", day)
    }).pipe(Effect.provide(RankingBoardRedis.pipe(Layer.provideMerge(redis.fresh())))),
  )

  it.live("a carry-over sets the TTL of its target board and of its marker to 2 days", () =>
    Effect.gen(function* () {
      const board = yield* RankingBoard
      yield* board.increment(day, [{ productId: p(1), points: 1_000 }])
      yield* board.increment(nextDay, [{ productId: p(2), points: 50 }])
      yield* shortenTtl("ranking", "all", nextDay)
      expect(yield* board.carryOver(day, nextDay, 100)).toEqual({ applied: true, seeded: 1 })
      yield* expectFullTtl("ranking", "all", nextDay)
      yield* expectFullTtl("ranking", "carried", day, nextDay)
    }).pipe(Effect.provide(RankingBoardRedis.pipe(Layer.provideMerge(redis.fresh())))),
  )

  it.live("an event applied before changes nothing, alone or in any later batch (property)", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ productId: fc.integer({ min: 1, max: 6 }), points: fc.integer({ min: 1, max: 900 }) }), {
            minLength: 1,
            maxLength: 12,
          }),
          // deliveries: batches of event indexes, repeats and overlaps included
          fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
          (entries, deliveries) =>
            Effect.runPromise(
              Effect.gen(function* () {
                const board = yield* RankingBoard
                const events = entries.map((e, i) => ({
                  eventId: `event-${i}`,
                  entries: [{ productId: p(e.productId), points: e.points }],
                }))
                for (const batch of deliveries) {
                  yield* board.incrementEvents(
                    day,
                    batch.map((i) => events[i % events.length]!),
                  )
                }
                const delivered = new Set(deliveries.flat().map((i) => i % events.length))
                const totals = new Map<number, number>()
                for (const i of delivered) {
                  const e = entries[i]!
                  totals.set(e.productId, (totals.get(e.productId) ?? 0) + e.points)
                }
                const expected = [...totals].sort(([a, x], [b, y]) => y - x || a - b)
                expect(yield* boardOf(day)).toEqual(expected)
              }).pipe(Effect.provide(RankingBoardRedis.pipe(Layer.provide(redis.fresh())))),
            ),
        ),
        { numRuns: 30 },
      ),
    ),
  )

  it.live("a consumer whose transaction fails after the board was written counts its events once on redelivery", () => {
    // The inbox lives in the (memory) store, the board in Redis: the failed transaction takes
    // the inbox's marks back but not the Redis writes, so the redelivered events look new.
    const world = Layer.mergeAll(
      RankingBoardRedis.pipe(Layer.provide(redis.fresh())),
      EventInboxMemory,
      TransactorMemory,
      RankingWeightsDefault,
      IdGeneratorRandom,
    ).pipe(Layer.provideMerge(MemoryDatabaseLive))
    return Effect.gen(function* () {
      const consumer = yield* makeRankingConsumer
      const liked = (productId: number) =>
        newEvent("ProductLiked", {
          aggregateKey: aggregateKey.product(p(productId)),
          productId: p(productId),
          userId: UserId.make(1),
        })
      const events = [yield* liked(1), yield* liked(2), yield* liked(1)]
      const lostCommit: EventConsumer = {
        ...consumer,
        handleBatch: (batch) =>
          Effect.zipRight(
            consumer.handleBatch!(batch),
            Effect.fail(new PersistenceUnavailable({ reason: "connection lost at COMMIT" })),
          ),
      }
      const failed = yield* Effect.either(deliverBatch(lostCommit, events))
      expect(failed._tag).toBe("Left")
      const date = businessDateOf(events[0]!.occurredAt)
      const afterFailure = yield* boardOf(date)
      expect(afterFailure).toEqual([
        [1, 400],
        [2, 200],
      ])
      // the inbox forgot them, so all three are handled again, and the board stays as it was
      expect(yield* deliverBatch(consumer, events)).toEqual({ handled: 3, duplicates: 0, skipped: 0 })
      expect(yield* boardOf(date)).toEqual(afterFailure)
    }).pipe(Effect.provide(world))
  })
})
