import type { DomainEvent } from "../events/DomainEvent.js"
import type { ProductId } from "../shared/Ids.js"
import { type BusinessDate, businessDateOf } from "./BusinessDate.js"

/** The counters kept per product per Seoul day. All are non-negative integers. */
export const metricNames = ["views", "likes", "unlikes", "orders", "units", "revenue"] as const
export type MetricName = (typeof metricNames)[number]

export type MetricCounts = { readonly [K in MetricName]: number }

/** Increments to apply; a missing counter is unchanged. Values are non-negative integers. */
export type MetricsDelta = Partial<MetricCounts>

export interface ProductDailyMetrics extends MetricCounts {
  readonly date: BusinessDate
  readonly productId: ProductId
}

export const zeroCounts: MetricCounts = { views: 0, likes: 0, unlikes: 0, orders: 0, units: 0, revenue: 0 }

export const applyDelta = (counts: MetricCounts, delta: MetricsDelta): MetricCounts => ({
  views: counts.views + (delta.views ?? 0),
  likes: counts.likes + (delta.likes ?? 0),
  unlikes: counts.unlikes + (delta.unlikes ?? 0),
  orders: counts.orders + (delta.orders ?? 0),
  units: counts.units + (delta.units ?? 0),
  revenue: counts.revenue + (delta.revenue ?? 0),
})

export interface ProductMetricsChange {
  readonly date: BusinessDate
  readonly productId: ProductId
  readonly delta: MetricsDelta
}

/**
 * What an event adds to the metrics, on the Seoul day it occurred, in ascending product order.
 * Only paid orders count (OrderPaid): one order per line, its units and unitPrice x quantity.
 * Cancellations and refunds are not subtracted: metrics record activity as it happened.
 */
export const metricsChangesOf = (event: DomainEvent): ReadonlyArray<ProductMetricsChange> => {
  switch (event._tag) {
    case "ProductViewed":
      return [{ date: businessDateOf(event.occurredAt), productId: event.productId, delta: { views: event.views } }]
    case "ProductLiked":
      return [{ date: businessDateOf(event.occurredAt), productId: event.productId, delta: { likes: 1 } }]
    case "ProductUnliked":
      return [{ date: businessDateOf(event.occurredAt), productId: event.productId, delta: { unlikes: 1 } }]
    case "OrderPaid": {
      const date = businessDateOf(event.occurredAt)
      return [...event.lines]
        .sort((a, b) => a.productId - b.productId)
        .map((line) => ({
          date,
          productId: line.productId,
          delta: { orders: 1, units: line.quantity, revenue: line.unitPrice * line.quantity },
        }))
    }
    default:
      return []
  }
}

/**
 * Several changes folded into one per (date, product), in ascending (date, product) order:
 * deltas add, so applying the result equals applying every change in turn.
 */
export const combineMetricsChanges = (changes: Iterable<ProductMetricsChange>): ReadonlyArray<ProductMetricsChange> => {
  const byKey = new Map<string, { date: BusinessDate; productId: ProductId; counts: MetricCounts }>()
  for (const change of changes) {
    const key = `${change.date}:${change.productId}`
    const found = byKey.get(key)
    if (found === undefined) byKey.set(key, { ...change, counts: applyDelta(zeroCounts, change.delta) })
    else found.counts = applyDelta(found.counts, change.delta)
  }
  return [...byKey.values()]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.productId - b.productId))
    .map(({ date, productId, counts }) => ({ date, productId, delta: nonZero(counts) }))
}

const nonZero = (counts: MetricCounts): MetricsDelta => {
  const delta: Partial<Record<MetricName, number>> = {}
  for (const name of metricNames) if (counts[name] !== 0) delta[name] = counts[name]
  return delta
}
