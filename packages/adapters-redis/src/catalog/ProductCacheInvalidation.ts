import type { DomainEvent, DomainEventTag, EventConsumer } from "@commerce-core/domain"
import { Effect } from "effect"
import { RedisClient } from "../RedisClient.js"
import { makeGenerationCache } from "./GenerationCache.js"
import {
  brandScope,
  LISTING_SCOPE,
  type ProductCacheOptions,
  productScope,
  resolveProductCacheOptions,
} from "./ProductCacheOptions.js"

export const PRODUCT_CACHE_CONSUMER = "product-cache-invalidation"

/** The events that make one product's cached detail stale; all of them carry its id. */
const PRODUCT_CHANGES = [
  "ProductCreated",
  "ProductUpdated",
  "StockAdjusted",
  "StockDecreased",
  "StockRestored",
  "ProductLiked",
  "ProductUnliked",
] as const satisfies ReadonlyArray<DomainEventTag>

type ProductChange = Extract<DomainEvent, { readonly _tag: (typeof PRODUCT_CHANGES)[number] }>

const productChanges: ReadonlySet<DomainEventTag> = new Set(PRODUCT_CHANGES)

/** The product whose cached detail an event makes stale, if any. */
export const productTouchedBy = (event: DomainEvent): number | undefined =>
  productChanges.has(event._tag) ? (event as ProductChange).productId : undefined

/**
 * What the consumer acts on: product changes, new brands (listings) and brands switched on or
 * off (the brand's entry and listings). Views are not among them.
 */
export const CACHE_INVALIDATING_EVENTS: ReadonlySet<DomainEventTag> = new Set<DomainEventTag>([
  ...PRODUCT_CHANGES,
  "BrandCreated",
  "BrandActivationChanged",
])

/**
 * Invalidates after the commit, as events are delivered: repairs what a transaction that
 * outlived the write's hold may have let in, and changes written by processes that do not
 * run the caching decorators. No hold is needed: the change is committed.
 */
export const ProductCacheInvalidation = (options?: ProductCacheOptions) =>
  Effect.gen(function* () {
    const redis = yield* RedisClient
    const resolved = resolveProductCacheOptions(options)
    const detail = makeGenerationCache(redis, resolved.detail)
    const listings = makeGenerationCache(redis, resolved.listing)
    const consumer: EventConsumer = {
      name: PRODUCT_CACHE_CONSUMER,
      interestedIn: CACHE_INVALIDATING_EVENTS,
      handle: (event) => {
        const productId = productTouchedBy(event)
        if (productId !== undefined) {
          return Effect.zipRight(
            detail.invalidate(productScope(productId), false),
            listings.invalidate(LISTING_SCOPE, false),
          )
        }
        switch (event._tag) {
          case "BrandCreated":
            return listings.invalidate(LISTING_SCOPE, false)
          case "BrandActivationChanged":
            return Effect.zipRight(
              detail.invalidate(brandScope(event.brandId), false),
              listings.invalidate(LISTING_SCOPE, false),
            )
          default:
            return Effect.void
        }
      },
    }
    return consumer
  })
