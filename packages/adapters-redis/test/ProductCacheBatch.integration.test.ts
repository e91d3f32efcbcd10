import {
  BrandRepository,
  CatalogName,
  Money,
  PersistenceUnavailable,
  type ProductId,
  ProductRepository,
} from "@commerce-core/domain"
import { aBrand, aProduct } from "@commerce-core/domain/testing"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { makeRedisConnection, RedisClient } from "../src/index.js"
import { cachedMemoryCatalog } from "./support/CatalogWorld.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"

const summary = (ids: ReadonlyArray<ProductId>) =>
  Effect.flatMap(ProductRepository, (products) =>
    Effect.map(products.findDetails(ids), (found) =>
      found.map((d) => `${d.product.id}:${d.product.name}:${d.product.price}:${d.brandName}:${d.brandActive}`),
    ),
  )

describeRedis("Product cache, many details at once (findDetails)", () => {
  const redis = useTestRedis()

  it.live("hits cost no store read, only misses load, and a write or a brand change shows at once", () => {
    const world = cachedMemoryCatalog(redis.fresh(), { cache: { holdMillis: 0 } })
    return Effect.gen(function* () {
      const brands = yield* BrandRepository
      const products = yield* ProductRepository
      const owners = yield* Effect.forEach([0, 1, 2], (i) => brands.insert(aBrand({ name: `Brand ${i}` })))
      const seeded = yield* Effect.forEach(
        Array.from({ length: 20 }, (_, i) => i),
        (i) => products.insert(aProduct(owners[i % 3]!.id, { name: `P${i}`, price: 100 + i })),
      )
      const ids = seeded.map((p) => p.id).reverse()

      const reads = world.probe.reads
      const cold = yield* summary(ids)
      expect(cold).toHaveLength(20)
      expect(world.probe.reads - reads).toBe(20)
      expect(yield* summary(ids)).toEqual(cold)
      expect(world.probe.reads - reads).toBe(20) // all twenty from Redis

      const changed = seeded[7]!
      yield* products.update(changed.id, { name: CatalogName.make("Renamed"), price: Money.make(999) })
      yield* brands.setActive(owners[1]!.id, false)
      const after = yield* summary(ids)
      expect(world.probe.reads - reads).toBe(21) // the changed product alone came from the store
      // ascending id is insertion order here
      const expected = seeded.map((p, i) => {
        const owner = owners[i % 3]!
        const [name, price] = p.id === changed.id ? ["Renamed", 999] : [p.name, p.price]
        return `${p.id}:${name}:${price}:${owner.name}:${owner.id !== owners[1]!.id}`
      })
      expect(after).toEqual(expected)
    }).pipe(Effect.provide(world.layer))
  })

  it.live("with Redis failing, findDetails reads every product from the store", () => {
    let down = false
    const prefix = `${redis.runPrefix}batch-down:`
    const flaky = Layer.sync(RedisClient, () => {
      const connection = makeRedisConnection(redis.raw(), prefix)
      const failing = Effect.fail(new PersistenceUnavailable({ reason: "redis script: staged outage" }))
      return {
        ...connection,
        script: (script, keys, args) => (down ? failing : connection.script(script, keys, args)),
      }
    })
    const world = cachedMemoryCatalog(flaky, { cache: { holdMillis: 0 } })
    return Effect.gen(function* () {
      const brand = yield* (yield* BrandRepository).insert(aBrand({ name: "B" }))
      const products = yield* ProductRepository
      const seeded = yield* Effect.forEach([1, 2, 3], (i) => products.insert(aProduct(brand.id, { name: `P${i}` })))
      const ids = seeded.map((p) => p.id)
      const cached = yield* summary(ids)
      down = true
      const reads = world.probe.reads
      expect(yield* summary(ids)).toEqual(cached)
      expect(world.probe.reads - reads).toBe(3)
    }).pipe(Effect.provide(world.layer))
  })
})
