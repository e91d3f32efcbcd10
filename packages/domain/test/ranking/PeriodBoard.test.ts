import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import { BusinessDate } from "../../src/ranking/BusinessDate.js"
import { materialisePeriodBoard, PERIOD_BOARD_SIZE } from "../../src/ranking/PeriodBoard.js"
import { applyDelta, metricsChangesOf, type ProductDailyMetrics, zeroCounts } from "../../src/ranking/ProductMetrics.js"
import { boardIncrementOf, compareRanked, pointsOfMetrics } from "../../src/ranking/RankingPoints.js"
import { defaultRankingWeights as weights } from "../../src/ranking/RankingWeights.js"
import { ProductId } from "../../src/shared/Ids.js"
import { buildRankingEvent, rankingEventSpecArb } from "../../testing/ranking/RankingEvents.js"
import { SequentialIds } from "./TestIds.js"

const rowArb = (maxProducts: number): fc.Arbitrary<ProductDailyMetrics> =>
  fc.record({
    date: fc.constantFrom("20261116", "20261117", "20261118").map((d) => BusinessDate.make(d)),
    productId: fc.integer({ min: 1, max: maxProducts }).map((n) => ProductId.make(n)),
    views: fc.nat(50),
    likes: fc.nat(20),
    unlikes: fc.nat(20),
    orders: fc.nat(10),
    units: fc.nat(30),
    revenue: fc.nat(1_000_000),
  })

/** Rows with distinct (date, product) keys, as a store holds them. */
const rowsArb = (maxProducts: number, maxLength: number) =>
  fc.uniqueArray(rowArb(maxProducts), { maxLength, selector: (row) => `${row.date}/${row.productId}` })

/** Straightforward recomputation: sum each product's counters first, then weigh once. */
const recompute = (rows: ReadonlyArray<ProductDailyMetrics>, size = PERIOD_BOARD_SIZE) => {
  const counts = new Map<ProductId, typeof zeroCounts>()
  for (const row of rows) counts.set(row.productId, applyDelta(counts.get(row.productId) ?? zeroCounts, row))
  return Array.from(counts, ([productId, c]) => ({ productId, points: pointsOfMetrics(c, weights) }))
    .sort(compareRanked)
    .slice(0, size)
    .map((entry, index) => ({ rank: index + 1, ...entry }))
}

describe("materialisePeriodBoard", () => {
  it("matches a straightforward recomputation and ignores input order (property)", () =>
    fc.assert(
      fc.property(
        rowsArb(150, 300).chain((rows) =>
          fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length })),
        ),
        ([rows, shuffled]) => {
          const board = materialisePeriodBoard(rows, weights)
          expect(board).toEqual(recompute(rows))
          expect(materialisePeriodBoard(shuffled, weights)).toEqual(board)
          expect(board.length).toBe(Math.min(PERIOD_BOARD_SIZE, new Set(rows.map((r) => r.productId)).size))
        },
      ),
      { numRuns: 200 },
    ))

  it("keeps only the top 100, ranked 1..100, ties by ascending product id", () => {
    const rows = Array.from({ length: 130 }, (_, i) => ({
      date: BusinessDate.make("20261116"),
      productId: ProductId.make(130 - i),
      ...zeroCounts,
      likes: i % 3,
    }))
    const board = materialisePeriodBoard(rows, weights)
    expect(board.map((e) => e.rank)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(board[0]).toEqual({ rank: 1, productId: 2, points: 400 })
    expect(board[1]).toEqual({ rank: 2, productId: 5, points: 400 })
    expect(board.at(-1)!.points).toBe(0)
  })

  it("gives each product what its events put on the live daily boards, summed over the period (property)", () =>
    fc.assert(
      fc.property(fc.array(rankingEventSpecArb(10, 3), { maxLength: 60 }), (specs) => {
        const events = Effect.runSync(Effect.provide(Effect.forEach(specs, buildRankingEvent), SequentialIds))
        const rows = new Map<string, ProductDailyMetrics>()
        const live = new Map<number, number>()
        for (const event of events) {
          for (const { date, productId, delta } of metricsChangesOf(event)) {
            const current = rows.get(`${date}/${productId}`) ?? { date, productId, ...zeroCounts }
            rows.set(`${date}/${productId}`, { ...current, ...applyDelta(current, delta) })
          }
          for (const { productId, points } of boardIncrementOf(event, weights)?.entries ?? []) {
            live.set(productId, (live.get(productId) ?? 0) + points)
          }
        }
        const board = materialisePeriodBoard(rows.values(), weights)
        expect(new Map(board.map((e) => [e.productId as number, e.points]))).toEqual(live)
      }),
    ))
})
