import {
  type BrandId,
  BrandRepository,
  type ProductId,
  ProductRepository,
  toProductDetail,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { RedisClient } from "../RedisClient.js"
import { brandCodec, listingPageCodec, productCodec } from "./CatalogCacheCodecs.js"
import { makeGenerationCache } from "./GenerationCache.js"
import {
  brandScope,
  LISTING_SCOPE,
  type ProductCacheOptions,
  productScope,
  resolveProductCacheOptions,
} from "./ProductCacheOptions.js"

/**
 * Decorates the real ProductRepository: `findById` and the first listing pages are served
 * from Redis (see GenerationCache for the freshness protocol); every write goes to the real
 * repository and then invalidates the product and the listings, with a hold, before the
 * caller's transaction commits. Reads never fail because of Redis: they fall back to the
 * store. A write whose invalidation fails fails too (and rolls back with its transaction):
 * a change the cache cannot forget must not be committed. With a hold (the default) a write to
 * an existing product invalidates before it runs, otherwise after.
 * `findDetail(s)` read the product and its brand from the cache (the brand under the keys that
 * BrandRepositoryCached reads and invalidates, through the brand store underneath).
 * `findByIds` (carts, orders) always reads the store.
 */
export const ProductRepositoryCached = (options?: ProductCacheOptions) =>
  Layer.effect(
    ProductRepository,
    Effect.gen(function* () {
      const store = yield* ProductRepository
      const brandStore = yield* BrandRepository
      const redis = yield* RedisClient
      const resolved = resolveProductCacheOptions(options)
      const detail = makeGenerationCache(redis, resolved.detail)
      const listings = makeGenerationCache(redis, resolved.listing)
      const cachedProduct = (id: ProductId) => detail.get(productScope(id), "row", store.findById(id), productCodec)
      // the brand under the keys BrandRepositoryCached reads and invalidates
      const cachedBrand = (id: BrandId) => detail.get(brandScope(id), "row", brandStore.findById(id), brandCodec)
      const cachedDetail = (id: ProductId) =>
        Effect.flatMap(cachedProduct(id), (product) =>
          Option.isNone(product)
            ? Effect.succeed(Option.none())
            : Effect.map(cachedBrand(product.value.brandId), (brand) =>
                Option.map(brand, (b) => toProductDetail(product.value, b)),
              ),
        )

      // One after the other: forking to overlap the two round trips costs more CPU than it saves.
      const invalidate = (id: ProductId) =>
        Effect.zipRight(detail.invalidate(productScope(id), true), listings.invalidate(LISTING_SCOPE, true))

      // With a hold, readers stay off the scope from the invalidation until after the commit, so
      // invalidating first is as safe as after and keeps the Redis round trip out of the time a
      // row lock is held (a hot product's stock row is locked from its UPDATE to the commit).
      // Without a hold only invalidating after the write keeps a reader from filling the old row.
      const invalidateFirst = resolved.detail.holdMillis > 0
      const writing =
        <Args extends ReadonlyArray<unknown>, A, E>(f: (id: ProductId, ...args: Args) => Effect.Effect<A, E>) =>
        (id: ProductId, ...args: Args) =>
          invalidateFirst
            ? Effect.zipRight(invalidate(id), f(id, ...args))
            : Effect.tap(f(id, ...args), () => invalidate(id))

      return ProductRepository.of({
        ...store,
        insert: (product) => Effect.tap(store.insert(product), (created) => invalidate(created.id)),
        findById: cachedProduct,
        // from the two caches rather than the store's join: a hit costs no SQL at all
        findDetail: cachedDetail,
        // the products in one batch of lookups, then each brand among them once in a second
        findDetails: (ids) => {
          const unique = [...new Set(ids)].sort((a, b) => a - b)
          return Effect.flatMap(
            detail.getMany(
              unique.map((id) => ({ scope: productScope(id), item: "row", load: store.findById(id) })),
              productCodec,
            ),
            (found) => {
              const products = found.flatMap(Option.toArray)
              const brandIds = [...new Set(products.map((p) => p.brandId))]
              return Effect.map(
                detail.getMany(
                  brandIds.map((id) => ({ scope: brandScope(id), item: "row", load: brandStore.findById(id) })),
                  brandCodec,
                ),
                (brands) => {
                  const byId = new Map(brands.flatMap(Option.toArray).map((b) => [b.id as number, b]))
                  return products.flatMap((p) => {
                    const brand = byId.get(p.brandId)
                    return brand === undefined ? [] : [toProductDetail(p, brand)]
                  })
                },
              )
            },
          )
        },
        list: (query) =>
          query.page.page >= resolved.cachedListingPages
            ? store.list(query)
            : Effect.map(
                listings.get(
                  LISTING_SCOPE,
                  `${query.brandId ?? "all"}:${query.sort}:${query.page.page}:${query.page.size}`,
                  Effect.map(store.list(query), Option.some),
                  listingPageCodec,
                ),
                Option.getOrThrow,
              ),
        update: writing(store.update),
        decrementStock: writing(store.decrementStock),
        restoreStock: writing(store.restoreStock),
        adjustStock: writing(store.adjustStock),
        incrementLikeCount: writing(store.incrementLikeCount),
        decrementLikeCount: writing(store.decrementLikeCount),
      })
    }),
  )

/**
 * Decorates the real BrandRepository: `findById` (every product detail needs its brand) is
 * cached; `setActive` invalidates the brand and every listing (which hides inactive brands).
 */
export const BrandRepositoryCached = (options?: ProductCacheOptions) =>
  Layer.effect(
    BrandRepository,
    Effect.gen(function* () {
      const store = yield* BrandRepository
      const redis = yield* RedisClient
      const resolved = resolveProductCacheOptions(options)
      const brands = makeGenerationCache(redis, resolved.detail)
      const listings = makeGenerationCache(redis, resolved.listing)
      return BrandRepository.of({
        ...store,
        findById: (id) => brands.get(brandScope(id), "row", store.findById(id), brandCodec),
        setActive: (id, active) =>
          Effect.tap(store.setActive(id, active), () =>
            Effect.zipRight(brands.invalidate(brandScope(id), true), listings.invalidate(LISTING_SCOPE, true)),
          ),
      })
    }),
  )
