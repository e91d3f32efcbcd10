import {
  BusinessDate,
  type MetricsDelta,
  type ProductDailyMetrics,
  ProductId,
  ProductMetricsRepository,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { makeDb } from "../internal/Db.js"

interface MetricsRow {
  readonly metric_date: string
  readonly product_id: number
  readonly views: number | string
  readonly likes: number | string
  readonly unlikes: number | string
  readonly orders: number | string
  readonly units: number | string
  readonly revenue: number | string
}

const toMetrics = (row: MetricsRow): ProductDailyMetrics => ({
  date: BusinessDate.make(row.metric_date),
  productId: ProductId.make(Number(row.product_id)),
  views: Number(row.views),
  likes: Number(row.likes),
  unlikes: Number(row.unlikes),
  orders: Number(row.orders),
  units: Number(row.units),
  revenue: Number(row.revenue),
})

/** One row per (day, product), upserted with `col = col + ?`; ranges read the primary key in order. */
export const ProductMetricsRepositoryMysql = Layer.effect(
  ProductMetricsRepository,
  Effect.gen(function* () {
    const { sql, run } = yield* makeDb
    const columns = sql`metric_date, product_id, views, likes, unlikes, orders, units, revenue`
    const d = (delta: MetricsDelta) => ({
      views: delta.views ?? 0,
      likes: delta.likes ?? 0,
      unlikes: delta.unlikes ?? 0,
      orders: delta.orders ?? 0,
      units: delta.units ?? 0,
      revenue: delta.revenue ?? 0,
    })
    return ProductMetricsRepository.of({
      add: (date, productId, delta) => {
        const v = d(delta)
        return run(
          sql`INSERT INTO product_metrics_daily (${columns})
          VALUES (${date}, ${productId}, ${v.views}, ${v.likes}, ${v.unlikes}, ${v.orders}, ${v.units}, ${v.revenue})
          ON DUPLICATE KEY UPDATE views = views + ${v.views}, likes = likes + ${v.likes},
            unlikes = unlikes + ${v.unlikes}, orders = orders + ${v.orders}, units = units + ${v.units},
            revenue = revenue + ${v.revenue}`.raw,
        ).pipe(Effect.asVoid)
      },
      find: (date, productId) =>
        run(sql<MetricsRow>`SELECT ${columns} FROM product_metrics_daily
          WHERE metric_date = ${date} AND product_id = ${productId}`).pipe(
          Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toMetrics)),
        ),
      range: (from, to) =>
        run(sql<MetricsRow>`SELECT ${columns} FROM product_metrics_daily
          WHERE metric_date BETWEEN ${from} AND ${to} ORDER BY metric_date, product_id`).pipe(
          Effect.map((rows) => rows.map(toMetrics)),
        ),
      topByOrders: (from, to, limit) =>
        limit <= 0
          ? Effect.succeed([])
          : run(sql<{ product_id: number; orders: number | string }>`SELECT product_id, SUM(orders) AS orders
              FROM product_metrics_daily WHERE metric_date BETWEEN ${from} AND ${to}
              GROUP BY product_id HAVING SUM(orders) > 0 ORDER BY SUM(orders) DESC, product_id ASC
              LIMIT ${Math.floor(limit)}`).pipe(
              Effect.map((rows) =>
                rows.map((row) => ({ productId: ProductId.make(Number(row.product_id)), orders: Number(row.orders) })),
              ),
            ),
    })
  }),
)
