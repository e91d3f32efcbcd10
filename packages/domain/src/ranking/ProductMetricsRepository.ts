import { Context, type Effect, type Option } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { ProductId } from "../shared/Ids.js"
import type { BusinessDate } from "./BusinessDate.js"
import type { MetricsDelta, ProductDailyMetrics } from "./ProductMetrics.js"

/** A product's paid order lines over a range of days. */
export interface ProductOrderCount {
  readonly productId: ProductId
  readonly orders: number
}

/**
 * Daily counters per product (SQL: one row per (date, product), upserted with
 * `col = col + ?`). Ranges are inclusive of both ends.
 */
export class ProductMetricsRepository extends Context.Tag("@commerce-core/domain/ProductMetricsRepository")<
  ProductMetricsRepository,
  {
    /** Adds the delta to the (date, product) row, creating it at zero first; one atomic statement. */
    readonly add: (
      date: BusinessDate,
      productId: ProductId,
      delta: MetricsDelta,
    ) => Effect.Effect<void, PersistenceUnavailable>
    readonly find: (
      date: BusinessDate,
      productId: ProductId,
    ) => Effect.Effect<Option.Option<ProductDailyMetrics>, PersistenceUnavailable>
    /** Every row from `from` to `to`, ordered by date then product id. */
    readonly range: (
      from: BusinessDate,
      to: BusinessDate,
    ) => Effect.Effect<ReadonlyArray<ProductDailyMetrics>, PersistenceUnavailable>
    /**
     * The `limit` products with the most paid order lines from `from` to `to` (only those with
     * at least one), most first, ties by ascending product id.
     */
    readonly topByOrders: (
      from: BusinessDate,
      to: BusinessDate,
      limit: number,
    ) => Effect.Effect<ReadonlyArray<ProductOrderCount>, PersistenceUnavailable>
  }
>() {}
