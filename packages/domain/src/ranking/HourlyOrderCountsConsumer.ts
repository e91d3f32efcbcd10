import { Context, Effect, Layer } from "effect"
import type { DomainEvent, DomainEventTag } from "../events/DomainEvent.js"
import type { EventConsumer } from "../pipeline/EventConsumer.js"
import { businessHourOf } from "./BusinessHour.js"
import { type HourlyOrderCount, HourlyOrderCounts } from "./HourlyOrderCounts.js"

/**
 * Feeds HourlyOrderCounts from OrderPaid: one order per line, in the Seoul hour the payment
 * occurred, like the daily metrics count them. Additions commute, so any delivery order
 * gives the same counts; the inbox makes each event count once per consumer name, and a store
 * outside the inbox's transaction does too (`addEvents`).
 */
export const HOURLY_ORDER_COUNTS_CONSUMER_NAME = "ranking-hourly-orders"

/**
 * What a batch of events adds, one entry per (hour, product), ordered by hour then product.
 * Events other than OrderPaid add nothing; cancellations take nothing back.
 */
export const hourlyOrderCountsOf = (events: ReadonlyArray<DomainEvent>): ReadonlyArray<HourlyOrderCount> => {
  const byKey = new Map<string, HourlyOrderCount>()
  for (const event of events) {
    if (event._tag !== "OrderPaid") continue
    const hour = businessHourOf(event.occurredAt)
    for (const line of event.lines) {
      const key = `${hour}/${line.productId}`
      const orders = (byKey.get(key)?.orders ?? 0) + 1
      byKey.set(key, { hour, productId: line.productId, orders })
    }
  }
  return Array.from(byKey.values()).sort((a, b) =>
    a.hour === b.hour ? a.productId - b.productId : a.hour < b.hour ? -1 : 1,
  )
}

export class HourlyOrderCountsConsumer extends Context.Tag("@commerce-core/domain/HourlyOrderCountsConsumer")<
  HourlyOrderCountsConsumer,
  EventConsumer
>() {}

const interestedIn: ReadonlySet<DomainEventTag> = new Set<DomainEventTag>(["OrderPaid"])

export const makeHourlyOrderCountsConsumer = Effect.gen(function* () {
  const counts = yield* HourlyOrderCounts
  // A batch becomes one `addEvents`: one round trip whatever the number of events.
  const addAll = (events: ReadonlyArray<DomainEvent>) => {
    const perEvent = events.flatMap((event) => {
      const added = hourlyOrderCountsOf([event])
      return added.length === 0 ? [] : [{ eventId: event.eventId, counts: added }]
    })
    return perEvent.length === 0 ? Effect.void : counts.addEvents(perEvent)
  }
  const consumer = {
    name: HOURLY_ORDER_COUNTS_CONSUMER_NAME,
    interestedIn,
    handle: (event: DomainEvent) => addAll([event]),
    handleBatch: addAll,
  }
  return HourlyOrderCountsConsumer.of(consumer)
})

export const HourlyOrderCountsConsumerLive = Layer.effect(HourlyOrderCountsConsumer, makeHourlyOrderCountsConsumer)
