import { Clock, Context, Effect, Either, Layer, Option } from "effect"
import { InvalidInput, type PersistenceUnavailable } from "../shared/DomainError.js"
import type { ProductId } from "../shared/Ids.js"
import { mapPage, type Page, type PageRequest } from "../shared/Pagination.js"
import { addBusinessDays, type BusinessDate, businessDateOf, parseBusinessDate } from "./BusinessDate.js"
import { HourlyOrderCounts } from "./HourlyOrderCounts.js"
import { materialisePeriodBoard } from "./PeriodBoard.js"
import { PeriodRankingRepository } from "./PeriodRankingRepository.js"
import { ProductMetricsRepository } from "./ProductMetricsRepository.js"
import { type RankedEntry, RankingBoard } from "./RankingBoard.js"
import { type MaterialisedPeriod, periodSpanOf, type RankingPeriod } from "./RankingPeriod.js"
import { RankingWeights, toScore } from "./RankingWeights.js"

export interface RankingItem {
  readonly rank: number
  readonly productId: ProductId
  /** Decimal score for presentation (points / 1000). */
  readonly score: number
  /** The exact integer behind `score`. */
  readonly points: number
}

export interface RankingPage extends Page<RankingItem> {
  readonly period: RankingPeriod
  readonly date: BusinessDate
  readonly key: string
}

export interface RankingPageInput {
  readonly period?: RankingPeriod | undefined
  /** `yyyyMMdd`; today in Seoul when absent. */
  readonly date?: string | undefined
  readonly request: PageRequest
}

export interface CurrentRank {
  readonly rank: number
  readonly score: number
  readonly points: number
}

export interface PeriodRebuild {
  readonly period: MaterialisedPeriod
  readonly key: string
  readonly from: BusinessDate
  readonly to: BusinessDate
  readonly entries: number
}

export interface CarryOverRun {
  readonly from: BusinessDate
  readonly to: BusinessDate
  readonly applied: boolean
  readonly seeded: number
}

export interface TopProductsInput {
  /** Seoul days counted back from `today`, today included: 1..90, default 3. */
  readonly days?: number | undefined
  /** 1..100, default 5. */
  readonly limit?: number | undefined
  readonly today?: string | undefined
}

export interface TopProduct {
  readonly rank: number
  readonly productId: ProductId
  readonly orderCount: number
}

export const TOP_PRODUCTS_DEFAULT_DAYS = 3
export const TOP_PRODUCTS_DEFAULT_LIMIT = 5
export const TOP_PRODUCTS_MAX_DAYS = 90
export const TOP_PRODUCTS_MAX_LIMIT = 100

type RankingError = InvalidInput | PersistenceUnavailable

export class RankingService extends Context.Tag("@commerce-core/domain/RankingService")<
  RankingService,
  {
    /** A page of the daily (live), weekly or monthly board containing `date`. */
    readonly page: (input: RankingPageInput) => Effect.Effect<RankingPage, RankingError>
    /** The product's place on the daily board (today by default); None when unranked. */
    readonly rankOf: (
      productId: ProductId,
      date?: string | undefined,
    ) => Effect.Effect<Option.Option<CurrentRank>, RankingError>
    /** Re-materialises the weekly or monthly board containing `date` from the daily metrics. */
    readonly rebuildPeriod: (
      period: MaterialisedPeriod,
      date?: string | undefined,
    ) => Effect.Effect<PeriodRebuild, RankingError>
    /** The 23:50 job: seeds tomorrow's board with the configured share of today's. */
    readonly carryOverToTomorrow: (today?: string | undefined) => Effect.Effect<CarryOverRun, RankingError>
    /**
     * Products with the most paid order lines over the last `days` Seoul days: from the
     * HourlyOrderCounts when the context has one (Redis), else from the daily metrics.
     */
    readonly topProducts: (input?: TopProductsInput) => Effect.Effect<ReadonlyArray<TopProduct>, RankingError>
  }
>() {}

const dateOrToday = (date: string | undefined, field = "date"): Effect.Effect<BusinessDate, InvalidInput> =>
  date === undefined ? Effect.map(Clock.currentTimeMillis, businessDateOf) : parseBusinessDate(date, field)

const intInRange = (
  field: string,
  value: number | undefined,
  fallback: number,
  max: number,
): Either.Either<number, InvalidInput> => {
  const n = value ?? fallback
  return Number.isInteger(n) && n >= 1 && n <= max
    ? Either.right(n)
    : Either.left(new InvalidInput({ field, reason: `must be an integer between 1 and ${max}, got ${n}` }))
}

const toItem = (entry: RankedEntry): RankingItem => ({
  rank: entry.rank,
  productId: entry.productId,
  score: toScore(entry.points),
  points: entry.points,
})

export const makeRankingService = Effect.gen(function* () {
  const board = yield* RankingBoard
  const metrics = yield* ProductMetricsRepository
  const periods = yield* PeriodRankingRepository
  const weights = yield* RankingWeights
  // Optional so that deployments without hourly buckets (memory, MySQL alone) need no wiring.
  const hourly = yield* Effect.serviceOption(HourlyOrderCounts)
  const topByOrders = Option.match(hourly, {
    onNone: () => metrics.topByOrders,
    onSome: (counts) => counts.topByOrders,
  })

  const page = (input: RankingPageInput) =>
    Effect.gen(function* () {
      const date = yield* dateOrToday(input.date)
      const period = input.period ?? "daily"
      const span = periodSpanOf(period, date)
      const entries =
        period === "daily"
          ? yield* board.top(date, input.request)
          : yield* periods.page(period, span.key, input.request)
      return { ...mapPage(entries, toItem), period, date, key: span.key }
    })

  const rankOf = (productId: ProductId, date?: string) =>
    Effect.gen(function* () {
      const day = yield* dateOrToday(date)
      const position = yield* board.rankOf(day, productId)
      return Option.map(position, (p) => ({ rank: p.rank, score: toScore(p.points), points: p.points }))
    })

  const rebuildPeriod = (period: MaterialisedPeriod, date?: string) =>
    Effect.gen(function* () {
      const day = yield* dateOrToday(date)
      const span = periodSpanOf(period, day)
      const rows = yield* metrics.range(span.from, span.to)
      const entries = materialisePeriodBoard(rows, weights)
      yield* periods.replace(period, span.key, entries)
      return { period, key: span.key, from: span.from, to: span.to, entries: entries.length }
    })

  const carryOverToTomorrow = (today?: string) =>
    Effect.gen(function* () {
      const from = yield* dateOrToday(today, "today")
      const to = addBusinessDays(from, 1)
      const result = yield* board.carryOver(from, to, weights.carryOverPermille)
      return { from, to, applied: result.applied, seeded: result.seeded }
    })

  const topProducts = (input: TopProductsInput = {}) =>
    Effect.gen(function* () {
      const days = yield* intInRange("days", input.days, TOP_PRODUCTS_DEFAULT_DAYS, TOP_PRODUCTS_MAX_DAYS)
      const limit = yield* intInRange("limit", input.limit, TOP_PRODUCTS_DEFAULT_LIMIT, TOP_PRODUCTS_MAX_LIMIT)
      const today = yield* dateOrToday(input.today, "today")
      const counts = yield* topByOrders(addBusinessDays(today, 1 - days), today, limit)
      return counts.map((c, index) => ({ rank: index + 1, productId: c.productId, orderCount: c.orders }))
    })

  return RankingService.of({ page, rankOf, rebuildPeriod, carryOverToTomorrow, topProducts })
})

export const RankingServiceLive = Layer.effect(RankingService, makeRankingService)
