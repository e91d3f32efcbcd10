import { randomBytes } from "node:crypto"
import {
  type BusinessDate,
  type BusinessHour,
  type HourlyOrderCount,
  HourlyOrderCounts,
  hoursOfDays,
  ProductId,
  type ProductOrderCount,
  TOP_PRODUCTS_MAX_DAYS,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { RedisClient, redisScript } from "../RedisClient.js"
import { makeSingleFlight } from "../SingleFlight.js"
import { member, pointsOf } from "./BoardEncoding.js"

/**
 * A bucket lives this long after its last write: the longest window the service reads
 * (TOP_PRODUCTS_MAX_DAYS days, today included) plus two days, so a window ending today never
 * misses an hour while nothing older than that is kept.
 */
export const HOURLY_ORDERS_TTL_SECONDS = (TOP_PRODUCTS_MAX_DAYS + 2) * 24 * 60 * 60

export interface HourlyOrderCountsRedisOptions {
  /**
   * How long the sum of a window is kept and served again (`{prefix}orders:top:{from}:{to}`),
   * so that reads cost one ZRANGE instead of a ZUNIONSTORE of D x 24 buckets; answers may then
   * lag the buckets by up to this long. 0 (the default): every read sums the buckets afresh.
   */
  readonly cacheMillis?: number
}

// KEYS: the cached sum, then the window's buckets. ARGV: limit, cache lifetime in ms.
// Atomic, so concurrent readers of an expired window sum it once and never see it half built.
const cachedTopScript = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZUNIONSTORE', KEYS[1], #KEYS - 1, unpack(KEYS, 2))
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
`)

/** How long the ids of the events added to an hour's bucket are kept (addEvents). */
export const ADDED_EVENTS_TTL_SECONDS = 2 * 24 * 60 * 60

// KEYS: per event, its hour's set of added event ids and its hour's bucket. ARGV: bucket ttl,
// ids ttl, then per event its id, its count n and n (member, increment) pairs. An event whose
// id its hour's set holds already is skipped. Returns how many events were added.
const addEventsScript = redisScript(`
local i = 3
local k = 1
local added = 0
while i <= #ARGV do
  local n = tonumber(ARGV[i + 1])
  if redis.call('SADD', KEYS[k], ARGV[i]) == 1 then
    for j = i + 2, i + 2 * n, 2 do redis.call('ZINCRBY', KEYS[k + 1], ARGV[j + 1], ARGV[j]) end
    redis.call('EXPIRE', KEYS[k + 1], ARGV[1])
    added = added + 1
  end
  redis.call('EXPIRE', KEYS[k], ARGV[2])
  i = i + 2 + 2 * n
  k = k + 2
end
return added
`)

const topOf = (flat: ReadonlyArray<string>): ReadonlyArray<ProductOrderCount> => {
  const top: Array<ProductOrderCount> = []
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const orders = pointsOf(flat[i + 1] as string)
    if (orders > 0) top.push({ productId: ProductId.make(Number(flat[i])), orders })
  }
  return top
}

/**
 * One sorted set per Seoul hour, `{prefix}orders:h:{yyyyMMddHH}`, member = zero-padded product
 * id, score = NEGATED paid order lines (BoardEncoding), so the union of a window read in
 * ascending order is most orders first, ties by ascending product id. A read sums the
 * window's 24 x D buckets with ZUNIONSTORE into a temporary key, takes the top and deletes
 * it, all in one MULTI: no other client ever sees the temporary key, and missing buckets
 * count as empty. With `cacheMillis`, the sum is kept under a key per window for that long
 * and reused (one Lua script).
 */
export const HourlyOrderCountsRedisWith = (options: HourlyOrderCountsRedisOptions = {}) =>
  Layer.effect(
    HourlyOrderCounts,
    Effect.gen(function* () {
      const redis = yield* RedisClient
      const cacheMillis = Math.max(0, Math.floor(options.cacheMillis ?? 0))
      const bucketKey = (hour: BusinessHour) => redis.key("orders", "h", hour)
      // Unique per process and call, so two readers never share a temporary key even outside MULTI.
      const instance = randomBytes(6).toString("hex")
      let reads = 0

      const freshTop = (keys: ReadonlyArray<string>, limit: number) => {
        const temp = redis.key("orders", "tmp", instance, ++reads)
        return redis
          .transaction("hourlyOrders.top", (tx) =>
            tx
              .zunionstore(temp, keys.length, ...keys)
              .zrange(temp, 0, limit - 1, "WITHSCORES")
              .del(temp),
          )
          .pipe(Effect.map((replies) => topOf((replies[1] ?? []) as ReadonlyArray<string>)))
      }

      // A kept sum is read with its own key only: sending the window's D x 24 bucket names on
      // every read would cost more than the sum saves. A miss sums the window in the script.
      // Readers of one window and limit arriving together share one round trip (the answer
      // may lag by cacheMillis anyway), so a miss is summed and its key list sent once per process.
      const flights = makeSingleFlight()
      const cachedTop = (from: BusinessDate, to: BusinessDate, limit: number) => {
        const sumKey = redis.key("orders", "top", from, to)
        return flights.run(
          `${from}:${to}:${limit}`,
          redis
            .transaction("hourlyOrders.cachedTop", (tx) => tx.exists(sumKey).zrange(sumKey, 0, limit - 1, "WITHSCORES"))
            .pipe(
              Effect.flatMap(([exists, kept]) =>
                exists === 1
                  ? Effect.succeed(topOf(kept as ReadonlyArray<string>))
                  : redis
                      .script(cachedTopScript, [sumKey, ...hoursOfDays(from, to).map(bucketKey)], [limit, cacheMillis])
                      .pipe(Effect.map((reply) => topOf(reply as ReadonlyArray<string>))),
              ),
            ),
        )
      }

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

        addEvents: (events) => {
          if (events.length === 0) return Effect.void
          const keys: Array<string> = []
          const args: Array<string | number> = [HOURLY_ORDERS_TTL_SECONDS, ADDED_EVENTS_TTL_SECONDS]
          for (const event of events) {
            // an event's counts per hour (one hour, from the consumer), each part checked in its hour's set
            const byHour = new Map<BusinessHour, Array<HourlyOrderCount>>()
            for (const count of event.counts) {
              const sameHour = byHour.get(count.hour)
              if (sameHour === undefined) byHour.set(count.hour, [count])
              else sameHour.push(count)
            }
            for (const [hour, counts] of byHour) {
              keys.push(redis.key("orders", "added", hour), bucketKey(hour))
              args.push(event.eventId, counts.length)
              for (const { productId, orders } of counts) args.push(member(productId), -orders)
            }
          }
          return keys.length === 0 ? Effect.void : Effect.asVoid(redis.script(addEventsScript, keys, args))
        },

        topByOrders: (from, to, limit) =>
          Effect.suspend(() => {
            if (from > to || limit < 1) return Effect.succeed<ReadonlyArray<ProductOrderCount>>([])
            return cacheMillis > 0 ? cachedTop(from, to, limit) : freshTop(hoursOfDays(from, to).map(bucketKey), limit)
          }),
      })
    }),
  )

/** Every read sums the window afresh (what the contract suite checks). */
export const HourlyOrderCountsRedis = HourlyOrderCountsRedisWith()
