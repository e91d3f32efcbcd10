import { CatalogMemory, MemoryDatabaseLive, TransactorMemory } from "@commerce-core/adapters-memory"
import { BrandRepository, ProductRepository, type Transactor } from "@commerce-core/domain"
import { Context, Effect, Layer } from "effect"
import {
  BrandRepositoryCached,
  type ProductCacheOptions,
  ProductRepositoryCached,
  type RedisClient,
} from "../../src/index.js"

/** The memory store itself, behind the cache: what another process (or a raw SQL fix) would write. */
export class RawProducts extends Context.Tag("test/RawProducts")<RawProducts, ProductRepository["Type"]>() {}

/** The memory brand store itself, behind the cache. */
export class RawBrands extends Context.Tag("test/RawBrands")<RawBrands, BrandRepository["Type"]>() {}

export interface CatalogProbe {
  /** findById calls that reached the store. */
  reads: number
}

export interface CatalogWorldOptions {
  readonly cache?: ProductCacheOptions
  /** Real time each store read takes at most (a random part of it), it.live tests only. */
  readonly slowReadsMillis?: number
  /** Real time each store `update` takes at most before it writes (a random part of it), it.live tests only. */
  readonly slowWritesMillis?: number
}

/** The caching decorators over the memory catalog, with a Transactor on the same database. */
export const cachedMemoryCatalog = (redis: Layer.Layer<RedisClient>, options: CatalogWorldOptions = {}) => {
  const probe: CatalogProbe = { reads: 0 }
  const probed = Layer.effect(
    ProductRepository,
    Effect.map(ProductRepository, (store) =>
      ProductRepository.of({
        ...store,
        findById: (id) =>
          Effect.gen(function* () {
            probe.reads++
            if (options.slowReadsMillis !== undefined) yield* Effect.sleep(Math.random() * options.slowReadsMillis)
            return yield* store.findById(id)
          }),
        update: (id, changes) =>
          options.slowWritesMillis === undefined
            ? store.update(id, changes)
            : Effect.zipRight(Effect.sleep(Math.random() * options.slowWritesMillis), store.update(id, changes)),
      }),
    ),
  ).pipe(Layer.provide(CatalogMemory))
  const raw = Layer.merge(Layer.effect(RawProducts, ProductRepository), Layer.effect(RawBrands, BrandRepository)).pipe(
    Layer.provide(CatalogMemory),
  )
  const products = ProductRepositoryCached(options.cache).pipe(
    Layer.provide(Layer.mergeAll(CatalogMemory, probed, redis)),
  )
  const brands = BrandRepositoryCached(options.cache).pipe(Layer.provide(Layer.merge(CatalogMemory, redis)))
  const layer: Layer.Layer<ProductRepository | BrandRepository | RawProducts | RawBrands | Transactor> = Layer.mergeAll(
    products,
    brands,
    raw,
    TransactorMemory,
  ).pipe(Layer.provide(MemoryDatabaseLive))
  return { layer, probe }
}
