import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { BusinessDate } from "../../src/ranking/BusinessDate.js"
import { type RankedEntry, RankingBoard } from "../../src/ranking/RankingBoard.js"
import { carriedPoints, compareRanked } from "../../src/ranking/RankingPoints.js"
import { PageRequest } from "../../src/shared/Pagination.js"
import { day, fullBoard, nextDay, p } from "./BoardFixtures.js"

const otherDay = BusinessDate.make("20261123")

/** Expected board from summed points: descending, ties by ascending product id. */
const reference = (totals: ReadonlyMap<number, number>): Array<RankedEntry> =>
  Array.from(totals, ([productId, points]) => ({ productId: p(productId), points }))
    .sort(compareRanked)
    .map((entry, index) => ({ rank: index + 1, ...entry }))

/**
 * The behaviour every RankingBoard adapter must show. `makeLayer` must give an empty store
 * each time it is called.
 */
export const rankingBoardContract = (makeLayer: () => Layer.Layer<RankingBoard, unknown>) => {
  const run = <A, E>(effect: Effect.Effect<A, E, RankingBoard>) => Effect.provide(effect, makeLayer())

  describe("RankingBoard contract", () => {
    it.effect("an untouched board is empty and ranks nobody", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          const page = yield* board.top(day, new PageRequest({}))
          expect(page).toEqual({ items: [], page: 0, size: 20, totalElements: 0, totalPages: 0, hasNext: false })
          expect(yield* board.rankOf(day, p(1))).toEqual(Option.none())
        }),
      ),
    )

    it.effect("sums increments and orders by points, ties by ascending product id", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(day, [
            { productId: p(3), points: 700 },
            { productId: p(1), points: 200 },
          ])
          yield* board.increment(day, [{ productId: p(2), points: 100 }])
          yield* board.increment(day, [{ productId: p(2), points: 100 }])
          yield* board.increment(day, [{ productId: p(4), points: 200 }])
          expect(yield* fullBoard(day)).toEqual([
            { rank: 1, productId: p(3), points: 700 },
            { rank: 2, productId: p(1), points: 200 },
            { rank: 3, productId: p(2), points: 200 },
            { rank: 4, productId: p(4), points: 200 },
          ])
          expect(yield* board.rankOf(day, p(2))).toEqual(Option.some({ rank: 3, points: 200 }))
        }),
      ),
    )

    it.effect("pages keep absolute ranks and report totals", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(
            day,
            [1, 2, 3, 4, 5].map((n) => ({ productId: p(n), points: n * 100 })),
          )
          const second = yield* board.top(day, new PageRequest({ page: 1, size: 2 }))
          expect(second).toEqual({
            items: [
              { rank: 3, productId: p(3), points: 300 },
              { rank: 4, productId: p(2), points: 200 },
            ],
            page: 1,
            size: 2,
            totalElements: 5,
            totalPages: 3,
            hasNext: true,
          })
          const beyond = yield* board.top(day, new PageRequest({ page: 9, size: 2 }))
          expect(beyond.items).toEqual([])
          expect(beyond.totalElements).toBe(5)
        }),
      ),
    )

    it.effect("a product whose points net to zero or below stays ranked, below positive scores", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(day, [{ productId: p(1), points: 200 }])
          yield* board.increment(day, [{ productId: p(1), points: -200 }])
          yield* board.increment(day, [{ productId: p(2), points: -200 }])
          yield* board.increment(day, [{ productId: p(3), points: 100 }])
          expect(yield* fullBoard(day)).toEqual([
            { rank: 1, productId: p(3), points: 100 },
            { rank: 2, productId: p(1), points: 0 },
            { rank: 3, productId: p(2), points: -200 },
          ])
          expect(yield* board.rankOf(day, p(1))).toEqual(Option.some({ rank: 2, points: 0 }))
        }),
      ),
    )

    it.effect("boards of different days are independent", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(day, [{ productId: p(1), points: 700 }])
          yield* board.increment(nextDay, [{ productId: p(2), points: 100 }])
          expect(yield* fullBoard(day)).toEqual([{ rank: 1, productId: p(1), points: 700 }])
          expect(yield* fullBoard(nextDay)).toEqual([{ rank: 1, productId: p(2), points: 100 }])
          expect(yield* board.rankOf(nextDay, p(1))).toEqual(Option.none())
        }),
      ),
    )

    it.effect("carry-over seeds floor(points x permille / 1000) of positive scores onto the next board", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(day, [
            { productId: p(1), points: 1_005 },
            { productId: p(2), points: 9 },
            { productId: p(3), points: -500 },
            { productId: p(4), points: 0 },
            { productId: p(5), points: 2_100 },
          ])
          yield* board.increment(nextDay, [{ productId: p(1), points: 50 }])
          const result = yield* board.carryOver(day, nextDay, 100)
          expect(result).toEqual({ applied: true, seeded: 2 })
          expect(yield* fullBoard(nextDay)).toEqual([
            { rank: 1, productId: p(5), points: 210 },
            { rank: 2, productId: p(1), points: 150 },
          ])
          expect((yield* fullBoard(day)).length).toBe(5)
        }),
      ),
    )

    it.effect("carry-over runs once per (from, to) pair, whatever ratio a repeat passes", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(day, [{ productId: p(1), points: 1_000 }])
          expect(yield* board.carryOver(day, nextDay, 100)).toEqual({ applied: true, seeded: 1 })
          expect(yield* board.carryOver(day, nextDay, 500)).toEqual({ applied: false, seeded: 0 })
          expect(yield* fullBoard(nextDay)).toEqual([{ rank: 1, productId: p(1), points: 100 }])
          expect(yield* board.carryOver(day, otherDay, 500)).toEqual({ applied: true, seeded: 1 })
          expect(yield* fullBoard(otherDay)).toEqual([{ rank: 1, productId: p(1), points: 500 }])
        }),
      ),
    )

    it.effect("carry-over of an empty board is recorded and seeds nothing", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          expect(yield* board.carryOver(day, nextDay, 100)).toEqual({ applied: true, seeded: 0 })
          yield* board.increment(day, [{ productId: p(1), points: 1_000 }])
          expect(yield* board.carryOver(day, nextDay, 100)).toEqual({ applied: false, seeded: 0 })
          expect(yield* fullBoard(nextDay)).toEqual([])
        }),
      ),
    )

    it.effect("hundreds of concurrent increments are all counted exactly", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          const increments = Array.from({ length: 400 }, (_, i) => ({
            productId: p((i % 7) + 1),
            points: i % 5 === 0 ? -200 : (i % 3) * 100 + 100,
          }))
          yield* Effect.all(
            increments.map((entry) => board.increment(day, [entry, { productId: p(100), points: 1 }])),
            { concurrency: "unbounded", discard: true },
          )
          const totals = new Map<number, number>([[100, 400]])
          for (const { productId, points } of increments) totals.set(productId, (totals.get(productId) ?? 0) + points)
          expect(yield* fullBoard(day)).toEqual(reference(totals))
        }),
      ),
    )

    it.effect("concurrent carry-overs of one pair apply exactly once", () =>
      run(
        Effect.gen(function* () {
          const board = yield* RankingBoard
          yield* board.increment(day, [
            { productId: p(1), points: 1_000 },
            { productId: p(2), points: 3_000 },
          ])
          const results = yield* Effect.all(
            Array.from({ length: 100 }, () => board.carryOver(day, nextDay, 100)),
            { concurrency: "unbounded" },
          )
          expect(results.filter((r) => r.applied)).toEqual([{ applied: true, seeded: 2 }])
          expect(yield* fullBoard(nextDay)).toEqual([
            { rank: 1, productId: p(2), points: 300 },
            { rank: 2, productId: p(1), points: 100 },
          ])
        }),
      ),
    )

    it.effect("incrementEvents adds what increment of the events' sum adds, however they are batched (property)", () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.array(
                fc.record({ productId: fc.integer({ min: 1, max: 8 }), points: fc.integer({ min: -500, max: 2_000 }) }),
                { maxLength: 3 },
              ),
              { maxLength: 20 },
            ),
            fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 20, maxLength: 20 }),
            (eventEntries, batchSizes) =>
              Effect.runPromise(
                run(
                  Effect.gen(function* () {
                    const board = yield* RankingBoard
                    const events = eventEntries.map((entries, i) => ({
                      eventId: `event-${i}`,
                      entries: entries.map((e) => ({ productId: p(e.productId), points: e.points })),
                    }))
                    // 20 batch sizes of at least 1 cover the at most 20 events
                    let from = 0
                    for (const size of batchSizes) {
                      if (from >= events.length) break
                      yield* board.incrementEvents(day, events.slice(from, from + size))
                      from += size
                    }
                    const totals = new Map<number, number>()
                    for (const { productId, points } of eventEntries.flat()) {
                      totals.set(productId, (totals.get(productId) ?? 0) + points)
                    }
                    expect(yield* fullBoard(day)).toEqual(reference(totals))
                  }),
                ),
              ),
          ),
          { numRuns: 25 },
        ),
      ),
    )

    it.effect("every page, rank and carry-over agrees with a plain recomputation (property)", () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                productId: fc.integer({ min: 1, max: 12 }),
                points: fc.integer({ min: -1_000, max: 5_000 }),
              }),
              { maxLength: 40 },
            ),
            fc.integer({ min: 1, max: 7 }),
            fc.integer({ min: 0, max: 1_000 }),
            (increments, size, permille) =>
              Effect.runPromise(
                run(
                  Effect.gen(function* () {
                    const board = yield* RankingBoard
                    for (const entry of increments)
                      yield* board.increment(day, [{ ...entry, productId: p(entry.productId) }])
                    const totals = new Map<number, number>()
                    for (const { productId, points } of increments) {
                      totals.set(productId, (totals.get(productId) ?? 0) + points)
                    }
                    const expected = reference(totals)
                    const pages: Array<RankedEntry> = []
                    for (let page = 0; page * size < Math.max(expected.length, 1); page++) {
                      const result = yield* board.top(day, new PageRequest({ page, size }))
                      expect(result.totalElements).toBe(expected.length)
                      pages.push(...result.items)
                    }
                    expect(pages).toEqual(expected)
                    for (const entry of expected) {
                      expect(yield* board.rankOf(day, entry.productId)).toEqual(
                        Option.some({ rank: entry.rank, points: entry.points }),
                      )
                    }
                    yield* board.carryOver(day, nextDay, permille)
                    const carried = new Map<number, number>()
                    for (const [productId, points] of totals) {
                      const seeded = carriedPoints(points, permille)
                      if (seeded !== 0) carried.set(productId, seeded)
                    }
                    expect(yield* fullBoard(nextDay)).toEqual(reference(carried))
                  }),
                ),
              ),
          ),
          { numRuns: 30 },
        ),
      ),
    )
  })
}
