import { Schema } from "effect"
import { EventId } from "../shared/Ids.js"

/**
 * Fields every domain event carries. `aggregateKey` ("product:12", "order:7") orders delivery:
 * the relay publishes events of one aggregate in the order they were written.
 */
export const eventFields = {
  eventId: EventId,
  occurredAt: Schema.Date,
  aggregateKey: Schema.String,
}

/** Aggregate keys, one spelling per aggregate type. */
export const aggregateKey = {
  user: (id: number) => `user:${id}`,
  brand: (id: number) => `brand:${id}`,
  product: (id: number) => `product:${id}`,
  order: (id: number) => `order:${id}`,
  coupon: (id: number) => `coupon:${id}`,
} as const
