import { IdGeneratorRandom } from "@commerce-core/adapters-memory"
import {
  aggregateKey,
  Money,
  newEvent,
  PageRequest,
  type ProductId,
  ProductRepository,
  Transactor,
} from "@commerce-core/domain"
import { seedProduct } from "@commerce-core/domain/testing"
import { expect, it } from "@effect/vitest"
import { Effect, Option, Ref } from "effect"
import { ProductCacheInvalidation } from "../src/index.js"
import { cachedMemoryCatalog, RawBrands, RawProducts } from "./support/CatalogWorld.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"
import { loseRedisData } from "./support/Sabotage.js"

const detailOf = (id: ProductId) =>
  Effect.flatMap(ProductRepository, (products) => Effect.map(products.findById(id), Option.getOrThrow))

const firstPage = Effect.flatMap(ProductRepository, (products) =>
  products.list({ sort: "latest", page: new PageRequest({ page: 0, size: 20 }) }),
)

describeRedis("Product cache freshness", () => {
  const redis = useTestRedis()

  for (const holdMillis of [0, 2_000]) {
    it.live(`hold ${holdMillis} ms: a stock or price change is visible on the next read, detail and listing`, () => {
      const world = cachedMemoryCatalog(redis.fresh(), { cache: { holdMillis } })
      return Effect.gen(function* () {
        const products = yield* ProductRepository
        const tx = yield* Transactor
        const product = yield* seedProduct({ price: 1_000, stock: 10 })
        yield* Effect.sleep(holdMillis + 10)
        expect((yield* detailOf(product.id)).stock).toBe(10)
        expect((yield* firstPage).items[0]?.stock).toBe(10)
        const reads = world.probe.reads
        expect((yield* detailOf(product.id)).stock).toBe(10)
        expect(world.probe.reads).toBe(reads) // served from Redis

        yield* tx.withTransaction(products.adjustStock(product.id, -3))
        expect((yield* detailOf(product.id)).stock).toBe(7)
        expect((yield* firstPage).items[0]?.stock).toBe(7)

        yield* tx.withTransaction(products.update(product.id, { price: Money.make(2_500) }))
        expect((yield* detailOf(product.id)).price).toBe(2_500)
        expect((yield* firstPage).items[0]?.price).toBe(2_500)

        yield* products.decrementStock(product.id, 2 as never)
        yield* products.incrementLikeCount(product.id)
        const after = yield* detailOf(product.id)
        expect([after.stock, after.likeCount]).toEqual([5, 1])
        expect((yield* firstPage).items[0]).toMatchObject({ stock: 5, likeCount: 1 })
      }).pipe(Effect.provide(world.layer))
    })
  }

  /**
   * The classic race, provoked: readers load slowly (a row read before a commit arrives after
   * it), and writes in transactions commit some milliseconds after their statement and its
   * invalidation. Every read that starts after a write returned must see that write or a
   * later one. The hold must outlast a transaction (the decorators' documented assumption;
   * the event consumer repairs the rest), so writes are spaced wider than the hold, letting
   * readers fill and hit the cache between them.
   */
  for (const scenario of [
    {
      name: "writes in transactions committing 10 ms after the statement, hold 150 ms",
      holdMillis: 150,
      commitDelay: 10,
      slowWritesMillis: undefined,
      writes: 10,
      pause: 50,
    },
    {
      name: "slow writes (up to 10 ms from the invalidation to the row), hold 150 ms",
      holdMillis: 150,
      commitDelay: undefined,
      slowWritesMillis: 10,
      writes: 10,
      pause: 50,
    },
    {
      name: "auto-committed writes, no hold (generations alone)",
      holdMillis: 0,
      commitDelay: undefined,
      slowWritesMillis: undefined,
      writes: 40,
      pause: 4,
    },
    {
      // invalidating before such a write would let a reader refill the old row under the new generation
      name: "slow auto-committed writes, no hold (generations alone)",
      holdMillis: 0,
      commitDelay: undefined,
      slowWritesMillis: 10,
      writes: 40,
      pause: 4,
    },
  ]) {
    it.live(`no stale value under 100 concurrent readers: ${scenario.name}`, () => {
      const world = cachedMemoryCatalog(redis.fresh(), {
        cache: { holdMillis: scenario.holdMillis },
        slowReadsMillis: 8,
        ...(scenario.slowWritesMillis === undefined ? {} : { slowWritesMillis: scenario.slowWritesMillis }),
      })
      const WRITES = scenario.writes
      return Effect.gen(function* () {
        const products = yield* ProductRepository
        const tx = yield* Transactor
        const product = yield* seedProduct({ price: 1_000 })
        const committed = yield* Ref.make(0)
        const done = yield* Ref.make(false)
        const stale: Array<{ floor: number; seen: number }> = []
        let readsDone = 0

        const writer = Effect.gen(function* () {
          for (let k = 1; k <= WRITES; k++) {
            const write = products.update(product.id, { price: Money.make(1_000 + k) })
            yield* scenario.commitDelay === undefined
              ? write
              : tx.withTransaction(Effect.zipLeft(write, Effect.sleep(scenario.commitDelay)))
            yield* Ref.set(committed, k)
            // wider than the hold, so that readers fill and hit the cache between writes
            yield* Effect.sleep(scenario.holdMillis + 10 + Math.random() * scenario.pause)
          }
          yield* Ref.set(done, true)
        })

        const reader = Effect.gen(function* () {
          while (!(yield* Ref.get(done))) {
            const floor = yield* Ref.get(committed)
            const seen = (yield* detailOf(product.id)).price - 1_000
            readsDone++
            if (seen < floor) stale.push({ floor, seen })
          }
        })

        yield* Effect.all([writer, ...Array.from({ length: 100 }, () => reader)], {
          concurrency: "unbounded",
          discard: true,
        })
        expect(stale).toEqual([])
        expect(readsDone).toBeGreaterThan(1_000)
        expect((yield* detailOf(product.id)).price).toBe(1_000 + WRITES)
        // And the cache was really used, not bypassed all along.
        expect(world.probe.reads).toBeLessThan(readsDone)
      }).pipe(Effect.provide(world.layer))
    })
  }

  it.live("500 concurrent reads of a cold key load it from the store once", () => {
    const world = cachedMemoryCatalog(redis.fresh(), { cache: { holdMillis: 0 }, slowReadsMillis: 20 })
    return Effect.gen(function* () {
      const product = yield* seedProduct({ price: 4_200 })
      const reads = world.probe.reads
      const details = yield* Effect.all(
        Array.from({ length: 500 }, () => detailOf(product.id)),
        { concurrency: "unbounded" },
      )
      expect(details.every((d) => d.price === 4_200)).toBe(true)
      expect(world.probe.reads - reads).toBe(1)
    }).pipe(Effect.provide(world.layer))
  })

  it.live("a change written behind the cache's back is picked up when its event is consumed", () => {
    const prefix = `${redis.runPrefix}events:`
    const world = cachedMemoryCatalog(redis.withPrefix(prefix), { cache: { holdMillis: 0 } })
    return Effect.gen(function* () {
      const raw = yield* RawProducts
      const consumer = yield* ProductCacheInvalidation().pipe(Effect.provide(redis.withPrefix(prefix)))
      const product = yield* seedProduct({ stock: 10 })
      expect((yield* detailOf(product.id)).stock).toBe(10)
      const stockAfter = yield* raw.adjustStock(product.id, 5)
      // Another process changed the row: this process's cache cannot know yet.
      expect((yield* detailOf(product.id)).stock).toBe(10)
      const event = yield* newEvent("StockAdjusted", {
        productId: product.id,
        delta: 5,
        stockAfter,
        aggregateKey: aggregateKey.product(product.id),
      }).pipe(Effect.provide(IdGeneratorRandom))
      yield* consumer.handle(event)
      expect((yield* detailOf(product.id)).stock).toBe(15)
      expect((yield* firstPage).items[0]?.stock).toBe(15)
    }).pipe(Effect.provide(world.layer))
  })

  it.live("a brand switched off behind the cache's back is picked up when its event is consumed", () => {
    const prefix = `${redis.runPrefix}brand-events:`
    const world = cachedMemoryCatalog(redis.withPrefix(prefix), { cache: { holdMillis: 0 } })
    return Effect.gen(function* () {
      const rawBrands = yield* RawBrands
      const consumer = yield* ProductCacheInvalidation().pipe(Effect.provide(redis.withPrefix(prefix)))
      const product = yield* seedProduct({ stock: 10 })
      const detailOfProduct = Effect.flatMap(ProductRepository, (products) =>
        Effect.map(products.findDetail(product.id), Option.getOrThrow),
      )
      expect((yield* detailOfProduct).brandActive).toBe(true)
      expect((yield* firstPage).items.map((i) => i.id)).toEqual([product.id])
      yield* rawBrands.setActive(product.brandId, false)
      // Another process switched the brand off: this process's cache cannot know yet.
      expect((yield* detailOfProduct).brandActive).toBe(true)
      const event = yield* newEvent("BrandActivationChanged", {
        brandId: product.brandId,
        active: false,
        aggregateKey: aggregateKey.brand(product.brandId),
      }).pipe(Effect.provide(IdGeneratorRandom))
      yield* consumer.handle(event)
      expect((yield* detailOfProduct).brandActive).toBe(false)
      expect((yield* firstPage).items).toEqual([])
    }).pipe(Effect.provide(world.layer))
  })

  it.live("after Redis loses its data the cache refills with current values", () => {
    const prefix = `${redis.runPrefix}lost:`
    const world = cachedMemoryCatalog(redis.withPrefix(prefix), { cache: { holdMillis: 0 } })
    return Effect.gen(function* () {
      const products = yield* ProductRepository
      const product = yield* seedProduct({ stock: 10 })
      expect((yield* detailOf(product.id)).stock).toBe(10)
      yield* loseRedisData(redis.raw(), prefix)
      yield* products.adjustStock(product.id, 1)
      expect((yield* detailOf(product.id)).stock).toBe(11)
      yield* loseRedisData(redis.raw(), prefix)
      expect((yield* detailOf(product.id)).stock).toBe(11)
      yield* products.adjustStock(product.id, 1)
      expect((yield* detailOf(product.id)).stock).toBe(12)
    }).pipe(Effect.provide(world.layer))
  })
})
