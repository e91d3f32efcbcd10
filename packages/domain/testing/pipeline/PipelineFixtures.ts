import { Effect, Layer } from "effect"
import { type DomainEvent, newEvent } from "../../src/events/DomainEvent.js"
import { aggregateKey } from "../../src/events/EventFields.js"
import { IdGenerator, makeIdGenerator } from "../../src/shared/IdGenerator.js"
import { type EventId, ProductId } from "../../src/shared/Ids.js"

/** Random UUID event ids, for suites that must not depend on an adapter package. */
export const IdGeneratorTest = Layer.succeed(
  IdGenerator,
  makeIdGenerator(() => globalThis.crypto.randomUUID() as EventId),
)

/** A small event of aggregate `product:<productId>`, as services would append it. */
export const productViewed = (productId: number) =>
  newEvent("ProductViewed", {
    views: 1,
    aggregateKey: aggregateKey.product(productId),
    productId: ProductId.make(productId),
  }).pipe(Effect.provide(IdGeneratorTest))

/** Events for the given product ids, in order. */
export const productViews = (productIds: ReadonlyArray<number>) => Effect.forEach(productIds, productViewed)

/** Event ids grouped by aggregate key, each group in the order given. */
export const byAggregate = (events: ReadonlyArray<DomainEvent>) => {
  const groups = new Map<string, Array<string>>()
  for (const event of events) {
    const group = groups.get(event.aggregateKey) ?? []
    group.push(event.eventId)
    groups.set(event.aggregateKey, group)
  }
  return groups
}

/** Each event once, where it first occurs: the order in which a consumer with an inbox applies them. */
export const firstOccurrences = (events: ReadonlyArray<DomainEvent>) => {
  const seen = new Set<string>()
  return events.filter((event) => {
    if (seen.has(event.eventId)) return false
    seen.add(event.eventId)
    return true
  })
}
