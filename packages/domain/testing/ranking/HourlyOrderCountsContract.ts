import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import * as fc from "fast-check"
import { addBusinessDays, BusinessDate } from "../../src/ranking/BusinessDate.js"
import { BusinessHour, hoursOfDays } from "../../src/ranking/BusinessHour.js"
import { type HourlyOrderCount, HourlyOrderCounts } from "../../src/ranking/HourlyOrderCounts.js"
import type { ProductOrderCount } from "../../src/ranking/ProductMetricsRepository.js"
import { ProductId } from "../../src/shared/Ids.js"

const d = (s: string) => BusinessDate.make(s)
const h = (s: string) => BusinessHour.make(s)
const p = (n: number) => ProductId.make(n)
const count = (hour: string, productId: number, orders = 1): HourlyOrderCount => ({
  hour: h(hour),
  productId: p(productId),
  orders,
})

/** The plain model: sum the counts of the window's hours, most first, ties by ascending id. */
export const topByOrdersModel = (
  counts: ReadonlyArray<HourlyOrderCount>,
  from: BusinessDate,
  to: BusinessDate,
  limit: number,
): Array<ProductOrderCount> => {
  const window = new Set<string>(hoursOfDays(from, to))
  const totals = new Map<number, number>()
  for (const c of counts) if (window.has(c.hour)) totals.set(c.productId, (totals.get(c.productId) ?? 0) + c.orders)
  return Array.from(totals, ([productId, orders]) => ({ productId: p(productId), orders }))
    .filter((entry) => entry.orders > 0)
    .sort((a, b) => b.orders - a.orders || a.productId - b.productId)
    .slice(0, limit)
}

const firstDay = d("20261120")

/**
 * The behaviour every HourlyOrderCounts adapter must show. `makeLayer` must give an empty
 * store each time it is called.
 */
export const hourlyOrderCountsContract = (makeLayer: () => Layer.Layer<HourlyOrderCounts, unknown>) => {
  const run = <A, E>(effect: Effect.Effect<A, E, HourlyOrderCounts>) => Effect.provide(effect, makeLayer())

  describe("HourlyOrderCounts contract", () => {
    it.effect("an empty store ranks nobody, and adding nothing changes nothing", () =>
      run(
        Effect.gen(function* () {
          const counts = yield* HourlyOrderCounts
          yield* counts.add([])
          expect(yield* counts.topByOrders(d("20261101"), d("20261130"), 100)).toEqual([])
        }),
      ),
    )

    it.effect("a window is every hour of its days: 00 and 23 in, the neighbours' hours out", () =>
      run(
        Effect.gen(function* () {
          const counts = yield* HourlyOrderCounts
          yield* counts.add([
            count("2026111923", 1, 50),
            count("2026112000", 2, 1),
            count("2026112012", 3, 2),
            count("2026112023", 2, 2),
            count("2026112100", 4, 60),
          ])
          expect(yield* counts.topByOrders(d("20261120"), d("20261120"), 10)).toEqual([
            { productId: p(2), orders: 3 },
            { productId: p(3), orders: 2 },
          ])
          expect(yield* counts.topByOrders(d("20261119"), d("20261121"), 10)).toEqual([
            { productId: p(4), orders: 60 },
            { productId: p(1), orders: 50 },
            { productId: p(2), orders: 3 },
            { productId: p(3), orders: 2 },
          ])
          expect(yield* counts.topByOrders(d("20261122"), d("20261130"), 10)).toEqual([])
        }),
      ),
    )

    it.effect("sums across hours and calls, most first, ties by ascending id, cut at the limit", () =>
      run(
        Effect.gen(function* () {
          const counts = yield* HourlyOrderCounts
          yield* counts.add([count("2026112009", 7), count("2026112009", 7), count("2026112010", 5, 2)])
          yield* counts.add([count("2026112111", 3, 2), count("2026112111", 9, 4)])
          yield* counts.add([count("2026112205", 7, 2)])
          const from = d("20261120")
          const to = d("20261122")
          expect(yield* counts.topByOrders(from, to, 10)).toEqual([
            { productId: p(7), orders: 4 },
            { productId: p(9), orders: 4 },
            { productId: p(3), orders: 2 },
            { productId: p(5), orders: 2 },
          ])
          expect(yield* counts.topByOrders(from, to, 3)).toEqual([
            { productId: p(7), orders: 4 },
            { productId: p(9), orders: 4 },
            { productId: p(3), orders: 2 },
          ])
          expect(yield* counts.topByOrders(from, to, 1)).toEqual([{ productId: p(7), orders: 4 }])
        }),
      ),
    )

    it.effect("windows cross month and year boundaries; ids up to the largest safe integer keep their order", () =>
      run(
        Effect.gen(function* () {
          const counts = yield* HourlyOrderCounts
          const big = Number.MAX_SAFE_INTEGER
          yield* counts.add([
            count("2026113023", 1),
            count("2026123123", big, 3),
            count("2027010100", 10, 3),
            count("2027010100", 2, 1),
          ])
          expect(yield* counts.topByOrders(d("20261231"), d("20270101"), 5)).toEqual([
            { productId: p(10), orders: 3 },
            { productId: p(big), orders: 3 },
            { productId: p(2), orders: 1 },
          ])
          expect(yield* counts.topByOrders(d("20261130"), d("20261201"), 5)).toEqual([{ productId: p(1), orders: 1 }])
        }),
      ),
    )

    it.effect("a 90-day window counts its very first and very last hour", () =>
      run(
        Effect.gen(function* () {
          const counts = yield* HourlyOrderCounts
          const to = d("20261122")
          const from = addBusinessDays(to, -89)
          yield* counts.add([
            { hour: h(`${addBusinessDays(from, -1)}23`), productId: p(1), orders: 9 },
            { hour: h(`${from}00`), productId: p(2), orders: 2 },
            { hour: h(`${to}23`), productId: p(2), orders: 1 },
            { hour: h(`${addBusinessDays(from, 45)}13`), productId: p(3), orders: 1 },
          ])
          expect(yield* counts.topByOrders(from, to, 100)).toEqual([
            { productId: p(2), orders: 3 },
            { productId: p(3), orders: 1 },
          ])
        }),
      ),
    )

    it.effect("hundreds of concurrent adds are all counted exactly", () =>
      run(
        Effect.gen(function* () {
          const counts = yield* HourlyOrderCounts
          const adds = Array.from({ length: 400 }, (_, i) => [
            count(`202611${20 + (i % 3)}${String(i % 24).padStart(2, "0")}`, (i % 7) + 1, (i % 4) + 1),
            count("2026112112", 100),
          ])
          yield* Effect.all(
            adds.map((batch) => counts.add(batch)),
            { concurrency: "unbounded", discard: true },
          )
          expect(yield* counts.topByOrders(d("20261120"), d("20261122"), 100)).toEqual(
            topByOrdersModel(adds.flat(), d("20261120"), d("20261122"), 100),
          )
          expect((yield* counts.topByOrders(d("20261120"), d("20261122"), 1))[0]).toEqual({
            productId: p(100),
            orders: 400,
          })
        }),
      ),
    )

    it.effect("addEvents adds what add of all their counts adds, however they are batched (property)", () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.array(
                fc.record({
                  hour: fc.constantFrom("2026112000", "2026112013", "2026112123"),
                  productId: fc.integer({ min: 1, max: 6 }),
                  orders: fc.integer({ min: 1, max: 3 }),
                }),
                { minLength: 1, maxLength: 3 },
              ),
              { maxLength: 15 },
            ),
            fc.integer({ min: 1, max: 6 }),
            (eventCounts, batchSize) =>
              Effect.runPromise(
                run(
                  Effect.gen(function* () {
                    const counts = yield* HourlyOrderCounts
                    const events = eventCounts.map((list, i) => ({
                      eventId: `event-${i}`,
                      counts: list.map((c) => count(c.hour, c.productId, c.orders)),
                    }))
                    for (let from = 0; from < events.length; from += batchSize) {
                      yield* counts.addEvents(events.slice(from, from + batchSize))
                    }
                    const all = events.flatMap((e) => e.counts)
                    expect(yield* counts.topByOrders(d("20261120"), d("20261121"), 10)).toEqual(
                      topByOrdersModel(all, d("20261120"), d("20261121"), 10),
                    )
                  }),
                ),
              ),
          ),
          { numRuns: 25 },
        ),
      ),
    )

    it.effect("any D-day window's top equals the plain model (property)", () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.array(
                fc.record({
                  day: fc.integer({ min: 0, max: 6 }),
                  hour: fc.integer({ min: 0, max: 23 }),
                  productId: fc.integer({ min: 1, max: 10 }),
                  orders: fc.integer({ min: 1, max: 3 }),
                }),
                { minLength: 1, maxLength: 5 },
              ),
              { maxLength: 12 },
            ),
            fc.integer({ min: 0, max: 6 }),
            fc.integer({ min: 1, max: 7 }),
            fc.integer({ min: 1, max: 12 }),
            (batches, last, days, limit) =>
              Effect.runPromise(
                run(
                  Effect.gen(function* () {
                    const counts = yield* HourlyOrderCounts
                    const toCount = (c: (typeof batches)[number][number]): HourlyOrderCount => ({
                      hour: h(`${addBusinessDays(firstDay, c.day)}${String(c.hour).padStart(2, "0")}`),
                      productId: p(c.productId),
                      orders: c.orders,
                    })
                    for (const batch of batches) yield* counts.add(batch.map(toCount))
                    const to = addBusinessDays(firstDay, last)
                    const from = addBusinessDays(to, 1 - days)
                    expect(yield* counts.topByOrders(from, to, limit)).toEqual(
                      topByOrdersModel(batches.flat().map(toCount), from, to, limit),
                    )
                  }),
                ),
              ),
          ),
          { numRuns: 40 },
        ),
      ),
    )
  })
}
