import {
  type BusinessHour,
  type HourlyOrderCount,
  HourlyOrderCounts,
  type ProductId,
  type ProductOrderCount,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

interface BucketRow {
  readonly hour: BusinessHour
  readonly productId: ProductId
  readonly orders: number
}

const rowKey = (hour: BusinessHour, productId: ProductId) => `${hour}/${productId}`

/**
 * Hourly order buckets in memory, one row per (hour, product). Rows are kept forever (Redis
 * expires its buckets); `yyyyMMddHH` strings compare in time order, so a window of whole days
 * is the hours from `{from}00` to `{to}23`.
 */
export const HourlyOrderCountsMemory = Layer.effect(
  HourlyOrderCounts,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const rows = db.table<string, BucketRow>("ranking_hourly_orders")

    const add = (counts: ReadonlyArray<HourlyOrderCount>) =>
      db.write((tx) =>
        Effect.sync(() => {
          for (const { hour, productId, orders } of counts) {
            const key = rowKey(hour, productId)
            tx.set(rows, key, { hour, productId, orders: (tx.get(rows, key)?.orders ?? 0) + orders })
          }
        }),
      )

    return HourlyOrderCounts.of({
      add,
      // written in the inbox's transaction, which refuses an event handled before
      addEvents: (events) => add(events.flatMap((event) => event.counts)),
      topByOrders: (from, to, limit) =>
        db.read((view) => {
          const first = `${from}00`
          const last = `${to}23`
          const totals = new Map<ProductId, number>()
          for (const row of view.values(rows)) {
            if (row.hour < first || row.hour > last) continue
            totals.set(row.productId, (totals.get(row.productId) ?? 0) + row.orders)
          }
          return Array.from(totals, ([productId, orders]): ProductOrderCount => ({ productId, orders }))
            .filter((entry) => entry.orders > 0)
            .sort((a, b) => b.orders - a.orders || a.productId - b.productId)
            .slice(0, limit)
        }),
    })
  }),
)
