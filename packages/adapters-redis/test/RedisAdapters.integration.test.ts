import { CatalogMemory, CouponsMemory, MemoryDatabaseLive } from "@commerce-core/adapters-memory"
import {
  BusinessDate,
  CouponTemplateRepository,
  HOURLY_ORDER_COUNTS_CONSUMER_NAME,
  IssuedCouponRepository,
  ProductId,
  ProductRepository,
  RankingBoard,
  UserId,
} from "@commerce-core/domain"
import { seedProduct } from "@commerce-core/domain/testing"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { PRODUCT_CACHE_CONSUMER, RedisAdaptersOn, RedisEventConsumers } from "../src/index.js"
import { newTemplate, T0 } from "./support/CouponFixtures.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"

describeRedis("RedisAdapters bundle over a store of truth", () => {
  const redis = useTestRedis()

  it.live("its outputs win over the base's: reads, issues and rankings go through Redis", () => {
    const prefix = `${redis.runPrefix}bundle:`
    const keys = () => Effect.promise(() => redis.raw().keys(`${prefix}*`))
    const live = RedisAdaptersOn(redis.withPrefix(prefix)).pipe(
      Layer.provideMerge(Layer.merge(CatalogMemory, CouponsMemory)),
      Layer.provide(MemoryDatabaseLive),
    )
    return Effect.gen(function* () {
      const product = yield* seedProduct()
      yield* (yield* ProductRepository).findById(product.id)
      expect((yield* keys()).some((k) => k.includes(`{product:${product.id}}`))).toBe(true)

      const template = yield* (yield* CouponTemplateRepository).insert(newTemplate({ totalQuantity: 1 }))
      yield* (yield* IssuedCouponRepository).issue(template, UserId.make(1), T0)
      expect((yield* keys()).some((k) => k.endsWith(`coupon:${template.id}:holders`))).toBe(true)

      yield* (yield* RankingBoard).increment(BusinessDate.make("20261121"), [
        { productId: ProductId.make(1), points: 5 },
      ])
      expect((yield* keys()).some((k) => k.endsWith("ranking:all:20261121"))).toBe(true)

      expect((yield* RedisEventConsumers).map((c) => c.name)).toEqual([
        PRODUCT_CACHE_CONSUMER,
        HOURLY_ORDER_COUNTS_CONSUMER_NAME,
      ])
    }).pipe(Effect.provide(live))
  })
})
