import { makeCouponIssueLedgerMysql } from "@commerce-core/adapters-mysql"
import { CouponIssueLedger, RedisAdapters, RedisClientLive } from "@commerce-core/adapters-redis"
import type { SqlClient } from "@effect/sql/SqlClient"
import { Layer } from "effect"

/**
 * The Redis coupon gate's ledger on the MySQL issued coupons: after Redis loses the gate's
 * keys, the gate reloads holders and the sold-out state from MySQL before admitting anyone.
 * The port is declared by adapters-redis and implemented by adapters-mysql, which do not
 * know each other, so it is joined here.
 */
export const CouponIssueLedgerOnMysql: Layer.Layer<CouponIssueLedger, never, SqlClient> = Layer.effect(
  CouponIssueLedger,
  makeCouponIssueLedgerMysql,
)

/**
 * The Redis adapters in the hot paths, over a layer holding the MySQL ports: the ranking
 * board and the idempotency store move to Redis, and "top products" reads the hourly order
 * buckets (HourlyOrderCounts, which RankingServiceLive picks up from its context, fed by a
 * consumer among the RedisEventConsumers); the product and brand repositories get the
 * cache-aside decorators and the issued-coupon repository the issue gate (reloaded from
 * the MySQL ledger), both decorating the MySQL adapters, which stay the source of truth.
 * The RedisClient (for the readiness probe) and RedisEventConsumers (cache invalidation
 * after commit, hourly order counts) are in the output: the pipeline must register them.
 */
export const withRedisHotPaths = <A, E, R>(mysql: Layer.Layer<A | SqlClient, E, R>) => {
  const overrides = RedisAdapters().pipe(
    Layer.provideMerge(RedisClientLive),
    Layer.provide(Layer.provideMerge(CouponIssueLedgerOnMysql, mysql)),
  )
  // merge: the right-hand layer's services replace the left's
  return Layer.merge(mysql, overrides)
}
