import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option, TestClock } from "effect"
import { DAILY_BOARD_TTL_MILLIS, RankingBoard } from "../../src/ranking/RankingBoard.js"
import { PageRequest } from "../../src/shared/Pagination.js"
import { day, fullBoard, nextDay, p } from "./BoardFixtures.js"

const second = 1_000
const hour = 60 * 60 * second
const advance = (millis: number) => TestClock.adjust(millis)

/**
 * Expiry as the Redis adapter has it (key TTLs), for adapters that measure time with the
 * Clock: a board is gone DAILY_BOARD_TTL_MILLIS after its last write, a carry-over marker
 * the same time after its carry-over. Runs under TestClock, so it cannot drive Redis.
 * `makeLayer` must give an empty store each time it is called.
 */
export const rankingBoardExpiryContract = (makeLayer: () => Layer.Layer<RankingBoard, unknown>) => {
  const run = <A, E>(effect: Effect.Effect<A, E, RankingBoard>) => Effect.provide(effect, makeLayer())

  describe("RankingBoard expiry contract", () => {
    it.effect("a board outlives its last write by the TTL and then reads as empty", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(day, [
            { productId: p(1), points: 700 },
            { productId: p(2), points: 100 },
          ])
          yield* advance(DAILY_BOARD_TTL_MILLIS - second)
          expect(yield* fullBoard(day)).toEqual([
            { rank: 1, productId: p(1), points: 700 },
            { rank: 2, productId: p(2), points: 100 },
          ])
          expect(yield* board.rankOf(day, p(2))).toEqual(Option.some({ rank: 2, points: 100 }))
          yield* advance(2 * second)
          const page = yield* board.top(day, new PageRequest({}))
          expect(page).toEqual({ items: [], page: 0, size: 20, totalElements: 0, totalPages: 0, hasNext: false })
          expect(yield* board.rankOf(day, p(1))).toEqual(Option.none())
          expect(yield* board.rankOf(day, p(2))).toEqual(Option.none())
        }),
      ),
    )

    it.effect("a write before expiry keeps the whole board for another TTL", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(day, [{ productId: p(1), points: 700 }])
          yield* advance(DAILY_BOARD_TTL_MILLIS - hour)
          yield* board.incrementEvents(day, [{ eventId: "event-1", entries: [{ productId: p(2), points: 100 }] }])
          yield* advance(DAILY_BOARD_TTL_MILLIS - second)
          expect(yield* fullBoard(day)).toEqual([
            { rank: 1, productId: p(1), points: 700 },
            { rank: 2, productId: p(2), points: 100 },
          ])
          expect(yield* board.rankOf(day, p(1))).toEqual(Option.some({ rank: 1, points: 700 }))
          yield* advance(2 * second)
          expect(yield* fullBoard(day)).toEqual([])
          expect(yield* board.rankOf(day, p(1))).toEqual(Option.none())
        }),
      ),
    )

    it.effect("a board written many times expires by its last write, and then starts afresh", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          // enough writes for an adapter that remembers a board it saw alive to rely on that
          for (let write = 1; write <= 5; write++) {
            yield* board.increment(day, [{ productId: p(write), points: 100 * write }])
            yield* advance(hour)
          }
          yield* advance(DAILY_BOARD_TTL_MILLIS - hour - second)
          expect((yield* fullBoard(day)).map((entry) => entry.points)).toEqual([500, 400, 300, 200, 100])
          yield* advance(2 * second)
          expect(yield* fullBoard(day)).toEqual([])
          yield* board.increment(day, [{ productId: p(1), points: 7 }])
          expect(yield* fullBoard(day)).toEqual([{ rank: 1, productId: p(1), points: 7 }])
          expect(yield* board.rankOf(day, p(5))).toEqual(Option.none())
        }),
      ),
    )

    it.effect("a write after expiry starts the board afresh, and other boards keep their own time", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(day, [
            { productId: p(1), points: 700 },
            { productId: p(2), points: 300 },
          ])
          yield* advance(DAILY_BOARD_TTL_MILLIS / 2)
          yield* board.increment(nextDay, [{ productId: p(3), points: 200 }])
          yield* advance(DAILY_BOARD_TTL_MILLIS / 2 + second)
          expect(yield* fullBoard(day)).toEqual([])
          yield* board.increment(day, [{ productId: p(2), points: 100 }])
          expect(yield* fullBoard(day)).toEqual([{ rank: 1, productId: p(2), points: 100 }])
          expect(yield* board.rankOf(day, p(1))).toEqual(Option.none())
          expect(yield* board.rankOf(day, p(2))).toEqual(Option.some({ rank: 1, points: 100 }))
          expect(yield* fullBoard(nextDay)).toEqual([{ rank: 1, productId: p(3), points: 200 }])
          yield* advance(DAILY_BOARD_TTL_MILLIS / 2)
          expect(yield* fullBoard(nextDay)).toEqual([])
          expect(yield* fullBoard(day)).toEqual([{ rank: 1, productId: p(2), points: 100 }])
        }),
      ),
    )

    it.effect("a seeding carry-over refreshes its target; its marker expires a TTL after the carry-over", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(nextDay, [{ productId: p(9), points: 50 }])
          yield* advance(DAILY_BOARD_TTL_MILLIS / 2)
          yield* board.increment(day, [{ productId: p(1), points: 1_000 }])
          expect(yield* board.carryOver(day, nextDay, 100)).toEqual({ applied: true, seeded: 1 })
          yield* advance(DAILY_BOARD_TTL_MILLIS - second)
          expect(yield* board.carryOver(day, nextDay, 100)).toEqual({ applied: false, seeded: 0 })
          expect(yield* fullBoard(nextDay)).toEqual([
            { rank: 1, productId: p(1), points: 100 },
            { rank: 2, productId: p(9), points: 50 },
          ])
          yield* advance(2 * second)
          expect(yield* fullBoard(nextDay)).toEqual([])
          // both the marker and the source board are gone: the pair runs again and seeds nothing
          expect(yield* board.carryOver(day, nextDay, 100)).toEqual({ applied: true, seeded: 0 })
          expect(yield* fullBoard(nextDay)).toEqual([])
        }),
      ),
    )

    it.effect("a carry-over that seeds nothing leaves its target's expiry alone", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(nextDay, [{ productId: p(9), points: 50 }])
          yield* advance(DAILY_BOARD_TTL_MILLIS - hour)
          yield* board.increment(day, [{ productId: p(1), points: 5 }])
          expect(yield* board.carryOver(day, nextDay, 100)).toEqual({ applied: true, seeded: 0 })
          yield* advance(hour + second)
          expect(yield* fullBoard(nextDay)).toEqual([])
          expect(yield* fullBoard(day)).toEqual([{ rank: 1, productId: p(1), points: 5 }])
        }),
      ),
    )
  })
}
