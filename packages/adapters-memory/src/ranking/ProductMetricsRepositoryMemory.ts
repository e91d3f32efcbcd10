import {
  applyDelta,
  type BusinessDate,
  type ProductDailyMetrics,
  type ProductId,
  ProductMetricsRepository,
  zeroCounts,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { MemoryDatabase, type MemoryTable, type MemoryView } from "../MemoryDatabase.js"

const rowKey = (date: BusinessDate, productId: ProductId) => `${date}/${productId}`

const rowsBetween = (
  view: MemoryView,
  table: MemoryTable<string, ProductDailyMetrics>,
  from: BusinessDate,
  to: BusinessDate,
) => view.values(table).filter((row) => row.date >= from && row.date <= to)

export const ProductMetricsRepositoryMemory = Layer.effect(
  ProductMetricsRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const rows = db.table<string, ProductDailyMetrics>("product_metrics_daily")

    return ProductMetricsRepository.of({
      add: (date, productId, delta) =>
        db.write((tx) =>
          Effect.sync(() => {
            const key = rowKey(date, productId)
            const current = tx.get(rows, key) ?? { date, productId, ...zeroCounts }
            tx.set(rows, key, { date, productId, ...applyDelta(current, delta) })
          }),
        ),
      find: (date, productId) => db.read((view) => Option.fromNullable(view.get(rows, rowKey(date, productId)))),
      range: (from, to) =>
        db.read((view) =>
          rowsBetween(view, rows, from, to).sort((a, b) =>
            a.date === b.date ? a.productId - b.productId : a.date < b.date ? -1 : 1,
          ),
        ),
      topByOrders: (from, to, limit) =>
        db.read((view) => {
          const totals = new Map<ProductId, number>()
          for (const row of rowsBetween(view, rows, from, to)) {
            totals.set(row.productId, (totals.get(row.productId) ?? 0) + row.orders)
          }
          return Array.from(totals, ([productId, orders]) => ({ productId, orders }))
            .filter((entry) => entry.orders > 0)
            .sort((a, b) => b.orders - a.orders || a.productId - b.productId)
            .slice(0, limit)
        }),
    })
  }),
)
