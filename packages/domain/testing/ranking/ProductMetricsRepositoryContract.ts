import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import * as fc from "fast-check"
import { addBusinessDays, BusinessDate } from "../../src/ranking/BusinessDate.js"
import {
  applyDelta,
  type MetricsDelta,
  type ProductDailyMetrics,
  zeroCounts,
} from "../../src/ranking/ProductMetrics.js"
import { ProductMetricsRepository } from "../../src/ranking/ProductMetricsRepository.js"
import { ProductId } from "../../src/shared/Ids.js"

const d1 = BusinessDate.make("20261230")
const d2 = BusinessDate.make("20261231")
const d3 = BusinessDate.make("20270101")
const p = (n: number) => ProductId.make(n)

const row = (date: BusinessDate, productId: number, delta: MetricsDelta): ProductDailyMetrics => ({
  date,
  productId: p(productId),
  ...applyDelta(zeroCounts, delta),
})

const deltaArb: fc.Arbitrary<MetricsDelta> = fc.record(
  {
    views: fc.nat(5),
    likes: fc.nat(5),
    unlikes: fc.nat(5),
    orders: fc.nat(3),
    units: fc.nat(9),
    revenue: fc.nat(100_000),
  },
  { requiredKeys: [] },
)

/**
 * The behaviour every ProductMetricsRepository adapter must show. `makeLayer` must give an
 * empty store each time it is called.
 */
export const productMetricsRepositoryContract = (makeLayer: () => Layer.Layer<ProductMetricsRepository, unknown>) => {
  const run = <A, E>(effect: Effect.Effect<A, E, ProductMetricsRepository>) => Effect.provide(effect, makeLayer())

  describe("ProductMetricsRepository contract", () => {
    it.effect("a product without activity has no row", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* ProductMetricsRepository
          expect(yield* repo.find(d1, p(1))).toEqual(Option.none())
          expect(yield* repo.range(d1, d3)).toEqual([])
          expect(yield* repo.topByOrders(d1, d3, 5)).toEqual([])
        }),
      ),
    )

    it.effect("adds create the row at zero and accumulate every counter", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* ProductMetricsRepository
          yield* repo.add(d1, p(1), { views: 1 })
          expect(yield* repo.find(d1, p(1))).toEqual(Option.some(row(d1, 1, { views: 1 })))
          yield* repo.add(d1, p(1), { views: 2, likes: 1, unlikes: 1, orders: 1, units: 3, revenue: 30_000 })
          yield* repo.add(d1, p(1), { orders: 1, units: 1, revenue: 10_000 })
          expect(yield* repo.find(d1, p(1))).toEqual(
            Option.some(row(d1, 1, { views: 3, likes: 1, unlikes: 1, orders: 2, units: 4, revenue: 40_000 })),
          )
          expect(yield* repo.find(d2, p(1))).toEqual(Option.none())
          expect(yield* repo.find(d1, p(2))).toEqual(Option.none())
        }),
      ),
    )

    it.effect("range is inclusive, ordered by day then product, across a year boundary", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* ProductMetricsRepository
          yield* repo.add(d3, p(1), { likes: 1 })
          yield* repo.add(d2, p(2), { views: 1 })
          yield* repo.add(d2, p(1), { views: 2 })
          yield* repo.add(d1, p(9), { orders: 1 })
          yield* repo.add(addBusinessDays(d3, 1), p(1), { views: 5 })
          expect(yield* repo.range(d1, d3)).toEqual([
            row(d1, 9, { orders: 1 }),
            row(d2, 1, { views: 2 }),
            row(d2, 2, { views: 1 }),
            row(d3, 1, { likes: 1 }),
          ])
          expect(yield* repo.range(d2, d2)).toEqual([row(d2, 1, { views: 2 }), row(d2, 2, { views: 1 })])
          expect(yield* repo.range(d3, d1)).toEqual([])
        }),
      ),
    )

    it.effect("topByOrders sums a range, skips products without orders, breaks ties by product id", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* ProductMetricsRepository
          yield* repo.add(d1, p(5), { orders: 2 })
          yield* repo.add(d2, p(5), { orders: 1 })
          yield* repo.add(d2, p(3), { orders: 3 })
          yield* repo.add(d3, p(4), { orders: 1 })
          yield* repo.add(d3, p(7), { views: 50 })
          yield* repo.add(addBusinessDays(d1, -1), p(4), { orders: 10 })
          expect(yield* repo.topByOrders(d1, d3, 10)).toEqual([
            { productId: p(3), orders: 3 },
            { productId: p(5), orders: 3 },
            { productId: p(4), orders: 1 },
          ])
          expect(yield* repo.topByOrders(d1, d3, 2)).toEqual([
            { productId: p(3), orders: 3 },
            { productId: p(5), orders: 3 },
          ])
          expect(yield* repo.topByOrders(d2, d2, 10)).toEqual([
            { productId: p(3), orders: 3 },
            { productId: p(5), orders: 1 },
          ])
        }),
      ),
    )

    it.effect("hundreds of concurrent adds to one row are all counted", () =>
      run(
        Effect.gen(function* () {
          const repo = yield* ProductMetricsRepository
          yield* Effect.all(
            Array.from({ length: 300 }, (_, i) =>
              repo.add(d1, p(1), i % 2 === 0 ? { views: 1 } : { orders: 1, units: 2, revenue: 1_500 }),
            ),
            { concurrency: "unbounded", discard: true },
          )
          expect(yield* repo.find(d1, p(1))).toEqual(
            Option.some(row(d1, 1, { views: 150, orders: 150, units: 300, revenue: 225_000 })),
          )
        }),
      ),
    )

    it.effect("rows equal the sum of their adds (property)", () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                day: fc.integer({ min: 0, max: 3 }),
                productId: fc.integer({ min: 1, max: 4 }),
                delta: deltaArb,
              }),
              { maxLength: 30 },
            ),
            (adds) =>
              Effect.runPromise(
                run(
                  Effect.gen(function* () {
                    const repo = yield* ProductMetricsRepository
                    const expected = new Map<string, ProductDailyMetrics>()
                    for (const { day, productId, delta } of adds) {
                      const date = addBusinessDays(d1, day)
                      yield* repo.add(date, p(productId), delta)
                      const key = `${date}/${productId}`
                      const current = expected.get(key) ?? row(date, productId, {})
                      expected.set(key, { ...current, ...applyDelta(current, delta) })
                    }
                    const sorted = Array.from(expected.values()).sort((a, b) =>
                      a.date === b.date ? a.productId - b.productId : a.date < b.date ? -1 : 1,
                    )
                    expect(yield* repo.range(d1, addBusinessDays(d1, 3))).toEqual(sorted)
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
