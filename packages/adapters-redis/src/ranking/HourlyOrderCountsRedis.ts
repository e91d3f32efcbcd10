import { randomBytes } from "node:crypto"
import {
  type BusinessHour,
  HourlyOrderCounts,
  hoursOfDays,
  ProductId,
  type ProductOrderCount,
  TOP_PRODUCTS_MAX_DAYS,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { RedisClient } from "../RedisClient.js"
import { member, pointsOf } from "./BoardEncoding.js"

/**
 * A bucket lives this long after its last write: the longest window the service reads
 * (TOP_PRODUCTS_MAX_DAYS days, today included) plus two days, so a window ending today never
 * misses an hour while nothing older than that is kept.
 */
export const HOURLY_ORDERS_TTL_SECONDS = (TOP_PRODUCTS_MAX_DAYS + 2) * 24 * 60 * 60

/**
 * One sorted set per Seoul hour, `{prefix}orders:h:{yyyyMMddHH}`, member = zero-padded product
 * id, score = NEGATED paid order lines (BoardEncoding), so the union of a window read in
 * ascending order is most orders first, ties by ascending product id. A read sums the
 * window's 24 x D buckets with ZUNIONSTORE into a temporary key, takes the top and deletes
 * it, all in one MULTI: no other client ever sees the temporary key, and missing buckets
 * count as empty.
 */
export const HourlyOrderCountsRedis = Layer.effect(
  HourlyOrderCounts,
  Effect.gen(function* () {
    const redis = yield* RedisClient
    const bucketKey = (hour: BusinessHour) => redis.key("orders", "h", hour)
    // Unique per process and call, so two readers never share a temporary key even outside MULTI.
    const instance = randomBytes(6).toString("hex")
    let reads = 0

    return HourlyOrderCounts.of({
      add: (counts) =>
        counts.length === 0
          ? Effect.void
          : redis
              .transaction("hourlyOrders.add", (tx) => {
                const touched = new Set<string>()
                for (const { hour, productId, orders } of counts) {
                  const key = bucketKey(hour)
                  tx.zincrby(key, -orders, member(productId))
                  touched.add(key)
                }
                for (const key of touched) tx.expire(key, HOURLY_ORDERS_TTL_SECONDS)
                return tx
              })
              .pipe(Effect.asVoid),

      topByOrders: (from, to, limit) =>
        Effect.suspend(() => {
          const keys = hoursOfDays(from, to).map(bucketKey)
          if (keys.length === 0 || limit < 1) return Effect.succeed<ReadonlyArray<ProductOrderCount>>([])
          const temp = redis.key("orders", "tmp", instance, ++reads)
          return redis
            .transaction("hourlyOrders.top", (tx) =>
              tx
                .zunionstore(temp, keys.length, ...keys)
                .zrange(temp, 0, limit - 1, "WITHSCORES")
                .del(temp),
            )
            .pipe(
              Effect.map((replies) => {
                const flat = (replies[1] ?? []) as ReadonlyArray<string>
                const top: Array<ProductOrderCount> = []
                for (let i = 0; i + 1 < flat.length; i += 2) {
                  const orders = pointsOf(flat[i + 1] as string)
                  if (orders > 0) top.push({ productId: ProductId.make(Number(flat[i])), orders })
                }
                return top
              }),
            )
        }),
    })
  }),
)
