import type { GenerationCacheOptions } from "./GenerationCache.js"

export interface ProductCacheOptions {
  /** Product detail (and brand) entries; default 5 minutes. */
  readonly detailTtlMillis?: number
  /** Listing pages; default 30 seconds (every product write also invalidates them). */
  readonly listingTtlMillis?: number
  /** Default 0.2: entries live ttl to ttl x 1.2. */
  readonly jitterRatio?: number
  /**
   * How long a write keeps readers of its scope off the cache, covering the time until its
   * transaction commits; default 2 seconds.
   */
  readonly holdMillis?: number
  /** Listing pages 0..n-1 are cached (page sizes of any value); default 3. */
  readonly cachedListingPages?: number
}

export interface ResolvedProductCacheOptions {
  readonly detail: GenerationCacheOptions
  readonly listing: GenerationCacheOptions
  readonly cachedListingPages: number
}

export const resolveProductCacheOptions = (options: ProductCacheOptions = {}): ResolvedProductCacheOptions => {
  const jitterRatio = options.jitterRatio ?? 0.2
  const holdMillis = options.holdMillis ?? 2_000
  return {
    detail: { ttlMillis: options.detailTtlMillis ?? 300_000, jitterRatio, holdMillis },
    listing: { ttlMillis: options.listingTtlMillis ?? 30_000, jitterRatio, holdMillis },
    cachedListingPages: options.cachedListingPages ?? 3,
  }
}

/** Scope names, written as Redis Cluster hash tags. */
export const productScope = (id: number) => `{product:${id}}`
export const brandScope = (id: number) => `{brand:${id}}`
export const LISTING_SCOPE = "{listing}"
