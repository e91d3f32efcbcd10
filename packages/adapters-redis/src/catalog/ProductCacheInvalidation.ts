import type { DomainEvent, EventConsumer } from "@commerce-core/domain"
import { Effect } from "effect"
import { RedisClient } from "../RedisClient.js"
import { makeGenerationCache } from "./GenerationCache.js"
import {
  LISTING_SCOPE,
  type ProductCacheOptions,
  productScope,
  resolveProductCacheOptions,
} from "./ProductCacheOptions.js"

export const PRODUCT_CACHE_CONSUMER = "product-cache-invalidation"

/** The product whose cached detail an event makes stale, if any. */
export const productTouchedBy = (event: DomainEvent): number | undefined => {
  switch (event._tag) {
    case "ProductCreated":
    case "ProductUpdated":
    case "StockAdjusted":
    case "StockDecreased":
    case "StockRestored":
    case "ProductLiked":
    case "ProductUnliked":
      return event.productId
    default:
      return undefined
  }
}

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
      handle: (event) => {
        const productId = productTouchedBy(event)
        if (productId !== undefined) {
          return Effect.zipRight(
            detail.invalidate(productScope(productId), false),
            listings.invalidate(LISTING_SCOPE, false),
          )
        }
        return event._tag === "BrandCreated" ? listings.invalidate(LISTING_SCOPE, false) : Effect.void
      },
    }
    return consumer
  })
