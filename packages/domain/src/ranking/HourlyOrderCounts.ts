import { Context, type Effect } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { ProductId } from "../shared/Ids.js"
import type { BusinessDate } from "./BusinessDate.js"
import type { BusinessHour } from "./BusinessHour.js"
import type { ProductOrderCount } from "./ProductMetricsRepository.js"

/** Paid order lines of one product in one Seoul hour, to add (a positive integer). */
export interface HourlyOrderCount {
  readonly hour: BusinessHour
  readonly productId: ProductId
  readonly orders: number
}

/** What one event adds (HourlyOrderCounts.addEvents). */
export interface EventOrderCounts {
  readonly eventId: string
  readonly counts: ReadonlyArray<HourlyOrderCount>
}

/**
 * Paid order lines per product per Seoul hour, the source of "top products over the last D
 * days" when a deployment provides it (Redis: one sorted set per hour, summed at read time);
 * without it RankingService reads the daily metrics. Adapters may forget an hour some time
 * after `TOP_PRODUCTS_MAX_DAYS` days (Redis expires buckets), so a window asked for with a
 * `today` long past may come out short; a window ending today is always whole.
 */
export class HourlyOrderCounts extends Context.Tag("@commerce-core/domain/HourlyOrderCounts")<
  HourlyOrderCounts,
  {
    /** Adds every count in one call; counts naming the same (hour, product) add up. */
    readonly add: (counts: ReadonlyArray<HourlyOrderCount>) => Effect.Effect<void, PersistenceUnavailable>
    /**
     * Each event's counts, in one atomic step: what `add` of them all adds, except that an event
     * added before changes nothing. A store written in the event inbox's transaction gets that
     * from the inbox; one outside it (Redis) keeps the ids it added (for two days at least), so
     * that events delivered again after a consumer's transaction failed past its write do not
     * count twice (see RankingBoard.incrementEvents).
     */
    readonly addEvents: (events: ReadonlyArray<EventOrderCounts>) => Effect.Effect<void, PersistenceUnavailable>
    /**
     * The `limit` products with the most paid order lines over every hour of the Seoul days
     * `from` to `to` (both included; only products with at least one), most first, ties by
     * ascending product id: the same answer as `ProductMetricsRepository.topByOrders`.
     */
    readonly topByOrders: (
      from: BusinessDate,
      to: BusinessDate,
      limit: number,
    ) => Effect.Effect<ReadonlyArray<ProductOrderCount>, PersistenceUnavailable>
  }
>() {}
