import { RedisAdapters, RedisClientLive } from "@commerce-core/adapters-redis"
import { Layer } from "effect"

/**
 * The Redis adapters in the hot paths, over a layer holding the MySQL ports: the ranking
 * board and the idempotency store move to Redis; the product and brand repositories get the
 * cache-aside decorators and the issued-coupon repository the issue gate, both decorating
 * the MySQL adapters, which stay the source of truth. The RedisClient (for the readiness
 * probe) and RedisEventConsumers (cache invalidation after commit) are in the output.
 */
export const withRedisHotPaths = <A, E, R>(mysql: Layer.Layer<A, E, R>) => {
  const overrides = RedisAdapters().pipe(Layer.provideMerge(RedisClientLive), Layer.provide(mysql))
  // merge: the right-hand layer's services replace the left's
  return Layer.merge(mysql, overrides)
}
