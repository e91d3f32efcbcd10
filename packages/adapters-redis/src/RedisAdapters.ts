import {
  type BrandRepository,
  type EventConsumer,
  type HourlyOrderCounts,
  type IdempotencyStore,
  type IssuedCouponRepository,
  makeHourlyOrderCountsConsumer,
  type PersistenceUnavailable,
  type ProductRepository,
  type RankingBoard,
} from "@commerce-core/domain"
import { type ConfigError, Context, Effect, Layer } from "effect"
import { ProductCacheInvalidation } from "./catalog/ProductCacheInvalidation.js"
import type { ProductCacheOptions } from "./catalog/ProductCacheOptions.js"
import { BrandRepositoryCached, ProductRepositoryCached } from "./catalog/ProductRepositoryCached.js"
import { IssuedCouponRepositoryGated } from "./coupons/IssuedCouponRepositoryGated.js"
import { IdempotencyStoreRedis } from "./idempotency/IdempotencyStoreRedis.js"
import { type DistributedLock, DistributedLockRedis } from "./lock/DistributedLock.js"
import { type RedisClient, RedisClientLive } from "./RedisClient.js"
import { type HourlyOrderCountsRedisOptions, HourlyOrderCountsRedisWith } from "./ranking/HourlyOrderCountsRedis.js"
import { RankingBoardRedis } from "./ranking/RankingBoardRedis.js"

/**
 * The event consumers the Redis adapters need in the pipeline: cache invalidation after
 * commit, and the hourly order buckets fed by OrderPaid.
 */
export class RedisEventConsumers extends Context.Tag("@commerce-core/adapters-redis/RedisEventConsumers")<
  RedisEventConsumers,
  ReadonlyArray<EventConsumer>
>() {}

export interface RedisAdaptersOptions {
  readonly cache?: ProductCacheOptions
  /** The hourly order buckets; `cacheMillis` defaults to TOP_PRODUCTS_CACHE_MILLIS here. */
  readonly topProducts?: HourlyOrderCountsRedisOptions
}

/**
 * How long the bundle serves a window's summed buckets again: "top products over D days" may
 * lag by this much, and a read costs Redis one ZRANGE instead of a ZUNIONSTORE of D x 24
 * buckets (about 0.5-0.8 ms of its single thread for 3 days, 9-11 ms for 90), which then runs
 * at most once per window per interval.
 */
export const TOP_PRODUCTS_CACHE_MILLIS = 2_000

/** Ports Redis serves on its own. */
export type RedisStoreServices =
  | RankingBoard
  | HourlyOrderCounts
  | IdempotencyStore
  | DistributedLock
  | RedisEventConsumers

/** Ports whose real adapter (the store of truth) Redis decorates. */
export type RedisDecoratedServices = ProductRepository | BrandRepository | IssuedCouponRepository

/**
 * Every Redis adapter on a RedisClient: RankingBoard, HourlyOrderCounts (with its consumer
 * among the RedisEventConsumers), IdempotencyStore and DistributedLock from Redis, and the cache and coupon gate decorating the ProductRepository,
 * BrandRepository and IssuedCouponRepository it is given (a CouponIssueLedger in context,
 * if any, lets the gate reload itself from the store).
 */
export const RedisAdapters = (
  options: RedisAdaptersOptions = {},
): Layer.Layer<RedisStoreServices | RedisDecoratedServices, never, RedisClient | RedisDecoratedServices> =>
  Layer.mergeAll(
    RankingBoardRedis,
    IdempotencyStoreRedis,
    DistributedLockRedis,
    Layer.effect(
      RedisEventConsumers,
      Effect.zipWith(ProductCacheInvalidation(options.cache), makeHourlyOrderCountsConsumer, (cache, hourly) => [
        cache,
        hourly,
      ]),
    ).pipe(
      Layer.provideMerge(
        HourlyOrderCountsRedisWith({ cacheMillis: TOP_PRODUCTS_CACHE_MILLIS, ...options.topProducts }),
      ),
    ),
    ProductRepositoryCached(options.cache),
    BrandRepositoryCached(options.cache),
    IssuedCouponRepositoryGated,
  )

/**
 * `RedisAdapters` on one connection configured from `REDIS_URL` / `REDIS_KEY_PREFIX`, quit
 * when the layer is released. Put it over the store of truth so its outputs win:
 *
 * ```ts
 * const Live = RedisAdaptersLive().pipe(Layer.provideMerge(MysqlLive))
 * ```
 */
export const RedisAdaptersLive = (
  options: RedisAdaptersOptions = {},
): Layer.Layer<
  RedisStoreServices | RedisDecoratedServices,
  ConfigError.ConfigError | PersistenceUnavailable,
  RedisDecoratedServices
> => RedisAdapters(options).pipe(Layer.provide(RedisClientLive))

/** The same on an explicit RedisClient layer (tests, custom connections). */
export const RedisAdaptersOn = (client: Layer.Layer<RedisClient, unknown>, options: RedisAdaptersOptions = {}) =>
  RedisAdapters(options).pipe(Layer.provide(client))
