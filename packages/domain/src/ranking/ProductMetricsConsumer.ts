import { Context, Effect, Layer } from "effect"
import type { DomainEventTag } from "../events/DomainEvent.js"
import type { EventConsumer } from "../pipeline/EventConsumer.js"
import { combineMetricsChanges, metricsChangesOf } from "./ProductMetrics.js"
import { ProductMetricsRepository } from "./ProductMetricsRepository.js"

/**
 * Counts views, likes, unlikes and paid order lines per product per Seoul day. Additions
 * commute, so any delivery order gives the same counters; the inbox makes each event count
 * once. Lines are written in ascending product order (lock order for SQL upserts); the
 * pipeline's transaction makes a multi-line order count all at once or not at all. A batch is
 * folded into one write per (day, product).
 */
export const PRODUCT_METRICS_CONSUMER_NAME = "product-metrics"

/** The events that change a counter (see `metricsChangesOf`). */
const MEASURED_EVENTS: ReadonlySet<DomainEventTag> = new Set<DomainEventTag>([
  "ProductViewed",
  "ProductLiked",
  "ProductUnliked",
  "OrderPaid",
])

export class ProductMetricsConsumer extends Context.Tag("@commerce-core/domain/ProductMetricsConsumer")<
  ProductMetricsConsumer,
  EventConsumer
>() {}

export const makeProductMetricsConsumer = Effect.gen(function* () {
  const metrics = yield* ProductMetricsRepository
  return ProductMetricsConsumer.of({
    name: PRODUCT_METRICS_CONSUMER_NAME,
    interestedIn: MEASURED_EVENTS,
    handle: (event) =>
      Effect.forEach(metricsChangesOf(event), (change) => metrics.add(change.date, change.productId, change.delta), {
        discard: true,
      }),
    handleBatch: (events) =>
      Effect.forEach(
        combineMetricsChanges(events.flatMap(metricsChangesOf)),
        (change) => metrics.add(change.date, change.productId, change.delta),
        { discard: true },
      ),
  })
})

export const ProductMetricsConsumerLive = Layer.effect(ProductMetricsConsumer, makeProductMetricsConsumer)
