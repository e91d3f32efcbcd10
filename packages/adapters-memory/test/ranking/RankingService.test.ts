import {
  addBusinessDays,
  BusinessDate,
  defaultRankingWeights,
  materialisePeriodBoard,
  PageRequest,
  ProductId,
  ProductMetricsRepository,
  periodSpanOf,
  RankingBoard,
  RankingService,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import * as fc from "fast-check"
import { rankingTestLayer } from "./RankingTestLayer.js"

const p = (n: number) => ProductId.make(n)
const d = (s: string) => BusinessDate.make(s)
/** 12:00 on 2026-11-21 in Seoul. */
const noonSeoul = Date.parse("2026-11-21T03:00:00Z")

const withRanking = <A, E>(effect: Effect.Effect<A, E, RankingService | RankingBoard | ProductMetricsRepository>) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(noonSeoul)
    return yield* effect
  }).pipe(Effect.provide(rankingTestLayer()))

const failureOf = <A, E>(effect: Effect.Effect<A, E>) => Effect.flip(effect)

describe("RankingService", () => {
  it.effect("pages today's live board with decimal scores by default", () =>
    withRanking(
      Effect.gen(function* () {
        const board = yield* RankingBoard
        const service = yield* RankingService
        yield* board.increment(d("20261121"), [
          { productId: p(1), points: 700 },
          { productId: p(2), points: 300 },
        ])
        yield* board.increment(d("20261120"), [{ productId: p(3), points: 5_000 }])
        const page = yield* service.page({ request: new PageRequest({}) })
        expect(page).toEqual({
          items: [
            { rank: 1, productId: 1, score: 0.7, points: 700 },
            { rank: 2, productId: 2, score: 0.3, points: 300 },
          ],
          page: 0,
          size: 20,
          totalElements: 2,
          totalPages: 1,
          hasNext: false,
          period: "daily",
          date: "20261121",
          key: "20261121",
        })
        const yesterday = yield* service.page({ period: "daily", date: "20261120", request: new PageRequest({}) })
        expect(yesterday.items).toEqual([{ rank: 1, productId: 3, score: 5, points: 5_000 }])
      }),
    ),
  )

  it.effect("today follows the Seoul calendar: 23:59 and 00:00 in Seoul are different days", () =>
    withRanking(
      Effect.gen(function* () {
        const board = yield* RankingBoard
        const service = yield* RankingService
        yield* board.increment(d("20261121"), [{ productId: p(1), points: 100 }])
        yield* board.increment(d("20261122"), [{ productId: p(2), points: 100 }])
        yield* TestClock.setTime(Date.parse("2026-11-21T14:59:59Z"))
        expect((yield* service.page({ request: new PageRequest({}) })).items.map((i) => i.productId)).toEqual([1])
        yield* TestClock.setTime(Date.parse("2026-11-21T15:00:00Z"))
        expect((yield* service.page({ request: new PageRequest({}) })).items.map((i) => i.productId)).toEqual([2])
      }),
    ),
  )

  it.effect("rankOf gives today's rank and score, or None when unranked", () =>
    withRanking(
      Effect.gen(function* () {
        const board = yield* RankingBoard
        const service = yield* RankingService
        yield* board.increment(d("20261121"), [
          { productId: p(1), points: 200 },
          { productId: p(2), points: 900 },
        ])
        expect(yield* service.rankOf(p(1))).toEqual(Option.some({ rank: 2, score: 0.2, points: 200 }))
        expect(yield* service.rankOf(p(3))).toEqual(Option.none())
        expect(yield* service.rankOf(p(1), "20261120")).toEqual(Option.none())
      }),
    ),
  )

  it.effect("bad dates and limits fail with InvalidInput (BAD_REQUEST), never a defect", () =>
    withRanking(
      Effect.gen(function* () {
        const service = yield* RankingService
        const errors = [
          yield* failureOf(service.page({ date: "20261332", request: new PageRequest({}) })),
          yield* failureOf(service.page({ date: "2026-11-21", request: new PageRequest({}) })),
          yield* failureOf(service.rankOf(p(1), "tomorrow")),
          yield* failureOf(service.rebuildPeriod("weekly", "20260230")),
          yield* failureOf(service.carryOverToTomorrow("2026112")),
          yield* failureOf(service.topProducts({ days: 0 })),
          yield* failureOf(service.topProducts({ days: 91 })),
          yield* failureOf(service.topProducts({ limit: 101 })),
          yield* failureOf(service.topProducts({ limit: 2.5 })),
        ]
        expect(errors.map((e) => [e._tag, e.code])).toEqual(
          Array.from({ length: 9 }, () => ["InvalidInput", "BAD_REQUEST"]),
        )
        expect(errors.map((e) => (e._tag === "InvalidInput" ? e.field : ""))).toEqual([
          "date",
          "date",
          "date",
          "date",
          "today",
          "days",
          "days",
          "limit",
          "limit",
        ])
      }),
    ),
  )

  it.effect("weekly and monthly boards are empty until rebuilt, then match the metrics of their span", () =>
    withRanking(
      Effect.gen(function* () {
        const metrics = yield* ProductMetricsRepository
        const service = yield* RankingService
        yield* metrics.add(d("20261115"), p(9), { orders: 50 })
        yield* metrics.add(d("20261116"), p(1), { views: 3, orders: 1 })
        yield* metrics.add(d("20261122"), p(2), { likes: 4, unlikes: 1 })
        yield* metrics.add(d("20261123"), p(3), { orders: 9 })
        const request = new PageRequest({})
        expect((yield* service.page({ period: "weekly", request })).totalElements).toBe(0)

        const rebuilt = yield* service.rebuildPeriod("weekly")
        expect(rebuilt).toEqual({ period: "weekly", key: "2026-W47", from: "20261116", to: "20261122", entries: 2 })
        const weekly = yield* service.page({ period: "weekly", date: "20261118", request })
        expect(weekly.key).toBe("2026-W47")
        expect(weekly.items).toEqual([
          { rank: 1, productId: 1, score: 1, points: 1_000 },
          { rank: 2, productId: 2, score: 0.6, points: 600 },
        ])
        const rows = yield* metrics.range(d("20261116"), d("20261122"))
        expect(weekly.items.map(({ rank, productId, points }) => ({ rank, productId, points }))).toEqual(
          materialisePeriodBoard(rows, defaultRankingWeights),
        )

        expect(yield* service.rebuildPeriod("monthly", "20261101")).toMatchObject({ key: "202611", entries: 4 })
        const monthly = yield* service.page({ period: "monthly", request })
        expect(monthly.items.map((i) => i.productId)).toEqual([9, 3, 1, 2])
      }),
    ),
  )

  it.effect("rebuilding a period is idempotent and picks up later metrics", () =>
    withRanking(
      Effect.gen(function* () {
        const metrics = yield* ProductMetricsRepository
        const service = yield* RankingService
        const request = new PageRequest({ size: 100 })
        yield* metrics.add(d("20261121"), p(1), { likes: 1 })
        yield* metrics.add(d("20261121"), p(2), { views: 1 })
        yield* service.rebuildPeriod("weekly")
        const first = yield* service.page({ period: "weekly", request })
        yield* service.rebuildPeriod("weekly")
        yield* service.rebuildPeriod("weekly")
        expect(yield* service.page({ period: "weekly", request })).toEqual(first)

        yield* metrics.add(d("20261120"), p(2), { orders: 1 })
        yield* Effect.all(
          Array.from({ length: 50 }, () => service.rebuildPeriod("weekly")),
          { concurrency: "unbounded" },
        )
        expect((yield* service.page({ period: "weekly", request })).items.map((i) => [i.productId, i.points])).toEqual([
          [2, 800],
          [1, 200],
        ])
      }),
    ),
  )

  it.effect("the 23:50 carry-over seeds tomorrow with 10% of today, once", () =>
    withRanking(
      Effect.gen(function* () {
        const board = yield* RankingBoard
        const service = yield* RankingService
        yield* TestClock.setTime(Date.parse("2026-11-21T14:50:00Z"))
        yield* board.increment(d("20261121"), [
          { productId: p(1), points: 7_050 },
          { productId: p(2), points: 300 },
          { productId: p(3), points: -200 },
        ])
        expect(yield* service.carryOverToTomorrow()).toEqual({
          from: "20261121",
          to: "20261122",
          applied: true,
          seeded: 2,
        })
        expect(yield* service.carryOverToTomorrow("20261121")).toMatchObject({ applied: false, seeded: 0 })
        const tomorrow = yield* service.page({ date: "20261122", request: new PageRequest({}) })
        expect(tomorrow.items).toEqual([
          { rank: 1, productId: 1, score: 0.705, points: 705 },
          { rank: 2, productId: 2, score: 0.03, points: 30 },
        ])
      }),
    ),
  )

  it.effect("top products count paid order lines over the last 3 Seoul days including today, top 5", () =>
    withRanking(
      Effect.gen(function* () {
        const metrics = yield* ProductMetricsRepository
        const service = yield* RankingService
        yield* metrics.add(d("20261118"), p(1), { orders: 100 })
        yield* metrics.add(d("20261119"), p(2), { orders: 2 })
        yield* metrics.add(d("20261121"), p(2), { orders: 1 })
        yield* metrics.add(d("20261120"), p(3), { orders: 3 })
        yield* metrics.add(d("20261121"), p(4), { orders: 1, views: 40 })
        yield* metrics.add(d("20261121"), p(5), { views: 1_000 })
        for (const n of [6, 7, 8, 9]) yield* metrics.add(d("20261121"), p(n), { orders: 1 })
        yield* metrics.add(d("20261122"), p(10), { orders: 50 })

        expect(yield* service.topProducts()).toEqual([
          { rank: 1, productId: 2, orderCount: 3 },
          { rank: 2, productId: 3, orderCount: 3 },
          { rank: 3, productId: 4, orderCount: 1 },
          { rank: 4, productId: 6, orderCount: 1 },
          { rank: 5, productId: 7, orderCount: 1 },
        ])
        expect(yield* service.topProducts({ days: 4, limit: 2 })).toEqual([
          { rank: 1, productId: 1, orderCount: 100 },
          { rank: 2, productId: 2, orderCount: 3 },
        ])
        expect(yield* service.topProducts({ days: 1, limit: 1, today: "20261122" })).toEqual([
          { rank: 1, productId: 10, orderCount: 50 },
        ])
      }),
    ),
  )

  it(
    "a rebuilt period equals the pure materialisation of its days, however often it is rebuilt (property)",
    () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              day: fc.integer({ min: 0, max: 45 }),
              productId: fc.integer({ min: 1, max: 130 }),
              delta: fc.record({ views: fc.nat(9), likes: fc.nat(3), unlikes: fc.nat(3), orders: fc.nat(2) }),
            }),
            { maxLength: 150 },
          ),
          fc.integer({ min: 0, max: 45 }),
          fc.constantFrom("weekly" as const, "monthly" as const),
          fc.integer({ min: 1, max: 4 }),
          (adds, target, period, rebuilds) =>
            Effect.runPromise(
              Effect.gen(function* () {
                const metrics = yield* ProductMetricsRepository
                const service = yield* RankingService
                const first = d("20261020")
                for (const { day, productId, delta } of adds)
                  yield* metrics.add(addBusinessDays(first, day), p(productId), delta)
                const date = addBusinessDays(first, target)
                for (let i = 0; i < rebuilds; i++) yield* service.rebuildPeriod(period, date)
                const span = periodSpanOf(period, date)
                const expected = materialisePeriodBoard(yield* metrics.range(span.from, span.to), defaultRankingWeights)
                const page = yield* service.page({ period, date, request: new PageRequest({ size: 100 }) })
                expect(page.key).toBe(span.key)
                expect(page.items.map(({ rank, productId, points }) => ({ rank, productId, points }))).toEqual(expected)
              }).pipe(Effect.provide(rankingTestLayer())),
            ),
        ),
        { numRuns: 60 },
      ),
    60_000,
  )
})
