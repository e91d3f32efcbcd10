import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import { PeriodRankingRepository } from "../../src/ranking/PeriodRankingRepository.js"
import type { RankedEntry } from "../../src/ranking/RankingBoard.js"
import { ProductId } from "../../src/shared/Ids.js"
import { PageRequest } from "../../src/shared/Pagination.js"

const p = (n: number) => ProductId.make(n)
const all = new PageRequest({ page: 0, size: 100 })

/** A board of `count` entries whose product ids start at `firstProduct`. */
const boardOf = (count: number, firstProduct: number): Array<RankedEntry> =>
  Array.from({ length: count }, (_, i) => ({ rank: i + 1, productId: p(firstProduct + i), points: (count - i) * 100 }))

/**
 * The behaviour every PeriodRankingRepository adapter must show. `makeLayer` must give an
 * empty store each time it is called.
 */
export const periodRankingRepositoryContract = (makeLayer: () => Layer.Layer<PeriodRankingRepository, unknown>) => {
  const run = <A, E>(effect: Effect.Effect<A, E, PeriodRankingRepository>) => Effect.provide(effect, makeLayer())

  describe("PeriodRankingRepository contract", () => {
    it.effect("a board never built is an empty page", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* PeriodRankingRepository
          expect(yield* repo.page("weekly", "2026-W47", new PageRequest({}))).toEqual({
            items: [],
            page: 0,
            size: 20,
            totalElements: 0,
            totalPages: 0,
            hasNext: false,
          })
        }),
      ),
    )

    it.effect("pages a stored board in rank order", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* PeriodRankingRepository
          const board = boardOf(5, 10)
          yield* repo.replace("weekly", "2026-W47", [...board].reverse())
          expect((yield* repo.page("weekly", "2026-W47", all)).items).toEqual(board)
          expect(yield* repo.page("weekly", "2026-W47", new PageRequest({ page: 2, size: 2 }))).toEqual({
            items: [board[4]],
            page: 2,
            size: 2,
            totalElements: 5,
            totalPages: 3,
            hasNext: false,
          })
        }),
      ),
    )

    it.effect("replace swaps the whole board; repeating it leaves the same board", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* PeriodRankingRepository
          yield* repo.replace("monthly", "202611", boardOf(8, 1))
          const rebuilt = boardOf(3, 50)
          yield* repo.replace("monthly", "202611", rebuilt)
          yield* repo.replace("monthly", "202611", rebuilt)
          expect((yield* repo.page("monthly", "202611", all)).items).toEqual(rebuilt)
          yield* repo.replace("monthly", "202611", [])
          expect((yield* repo.page("monthly", "202611", all)).totalElements).toBe(0)
        }),
      ),
    )

    it.effect("boards of different periods and keys are independent", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* PeriodRankingRepository
          yield* repo.replace("weekly", "2026-W47", boardOf(2, 1))
          yield* repo.replace("weekly", "2026-W48", boardOf(3, 20))
          yield* repo.replace("monthly", "202611", boardOf(1, 40))
          expect((yield* repo.page("weekly", "2026-W47", all)).items).toEqual(boardOf(2, 1))
          expect((yield* repo.page("weekly", "2026-W48", all)).items).toEqual(boardOf(3, 20))
          expect((yield* repo.page("monthly", "202611", all)).items).toEqual(boardOf(1, 40))
          expect((yield* repo.page("monthly", "202612", all)).items).toEqual([])
        }),
      ),
    )

    it.effect("concurrent rebuilds and reads only ever see a whole board", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* PeriodRankingRepository
          const a = boardOf(100, 1)
          const b = boardOf(60, 1_000)
          const seen = yield* Effect.all(
            Array.from({ length: 200 }, (_, i) =>
              i % 2 === 0
                ? Effect.as(repo.replace("weekly", "2026-W01", i % 4 === 0 ? a : b), undefined)
                : Effect.map(repo.page("weekly", "2026-W01", all), (page) => page.items),
            ),
            { concurrency: "unbounded" },
          )
          for (const items of seen) {
            if (items !== undefined) expect([0, 60, 100]).toContain(items.length)
            if (items !== undefined && items.length > 0) expect(items).toEqual(items.length === 100 ? a : b)
          }
          const final = (yield* repo.page("weekly", "2026-W01", all)).items
          expect([a, b]).toContainEqual(final)
        }),
      ),
    )
  })
}
