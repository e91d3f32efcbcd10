import { Effect, Layer } from "effect"
import { newEvent } from "../../src/events/DomainEvent.js"
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
