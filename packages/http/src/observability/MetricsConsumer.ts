import type { DomainEvent, DomainEventTag, EventConsumer } from "@commerce-core/domain"
import { Effect } from "effect"
import type { HttpMetrics } from "./HttpMetrics.js"

/**
 * Counts orders and payment outcomes from the event stream, so that every path that settles
 * a payment (placement, callback, sync, reconciliation) is counted once, by the inbox.
 */
export const makeMetricsConsumer = (metrics: HttpMetrics, name = "http-metrics"): EventConsumer => ({
  name,
  interestedIn: new Set<DomainEventTag>(["OrderPlaced", "OrderPaid", "PaymentFailed"]),
  handle: (event: DomainEvent) =>
    Effect.sync(() => {
      switch (event._tag) {
        case "OrderPlaced":
          metrics.orderPlaced(event.paymentType)
          return
        case "OrderPaid":
          metrics.payment(event.paymentType, "PAID")
          return
        case "PaymentFailed":
          // only card payments can fail after an order exists; points fail before it is placed
          metrics.payment("CARD", "FAILED")
          return
        default:
          return
      }
    }),
})
