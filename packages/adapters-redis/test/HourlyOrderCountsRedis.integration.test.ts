import {
  CatalogMemory,
  CouponsMemory,
  IdGeneratorRandom,
  MemoryDatabaseLive,
  RankingMemory,
} from "@commerce-core/adapters-memory"
import {
  aggregateKey,
  BusinessDate,
  BusinessHour,
  HOURLY_ORDER_COUNTS_CONSUMER_NAME,
  type HourlyOrderCount,
  HourlyOrderCounts,
  Money,
  newEvent,
  OrderId,
  ProductId,
  ProductMetricsRepository,
  Quantity,
  RankingService,
  RankingServiceLive,
  RankingWeightsDefault,
  UserId,
} from "@commerce-core/domain"
import { hourlyOrderCountsContract, topByOrdersModel } from "@commerce-core/domain/testing"
import { expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import {
  ADDED_EVENTS_TTL_SECONDS,
  HOURLY_ORDERS_TTL_SECONDS,
  HourlyOrderCountsRedis,
  HourlyOrderCountsRedisWith,
  RedisAdaptersOn,
  RedisEventConsumers,
} from "../src/index.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"

const d = (s: string) => BusinessDate.make(s)
const count = (hour: string, productId: number, orders = 1): HourlyOrderCount => ({
  hour: BusinessHour.make(hour),
  productId: ProductId.make(productId),
  orders,
})

describeRedis("HourlyOrderCountsRedis", () => {
  const redis = useTestRedis()
  hourlyOrderCountsContract(() => HourlyOrderCountsRedis.pipe(Layer.provide(redis.fresh())))

  const keysUnder = (prefix: string) => Effect.promise(() => redis.raw().keys(`${prefix}*`))

  it.live("an event added before changes nothing, alone or in any later batch; its ids expire in two days", () => {
    const prefix = `${redis.runPrefix}added:`
    return Effect.gen(function* () {
      const counts = yield* HourlyOrderCounts
      const first = { eventId: "order-paid-1", counts: [count("2026112013", 42, 2), count("2026112013", 7)] }
      const second = { eventId: "order-paid-2", counts: [count("2026112014", 42)] }
      yield* counts.addEvents([first])
      yield* counts.addEvents([first, second])
      yield* counts.addEvents([second, second, first])
      expect(yield* counts.topByOrders(d("20261120"), d("20261120"), 10)).toEqual([
        { productId: ProductId.make(42), orders: 3 },
        { productId: ProductId.make(7), orders: 1 },
      ])
      const ttl = yield* Effect.promise(() => redis.raw().ttl(`${prefix}orders:added:2026112013`))
      expect(ttl).toBeGreaterThan(ADDED_EVENTS_TTL_SECONDS - 60)
      expect(ttl).toBeLessThanOrEqual(ADDED_EVENTS_TTL_SECONDS)
    }).pipe(Effect.provide(HourlyOrderCountsRedis.pipe(Layer.provide(redis.withPrefix(prefix)))))
  })

  it.live("one sorted set per hour under {prefix}orders:h:, expiring after the longest window plus two days", () => {
    const prefix = `${redis.runPrefix}layout:`
    return Effect.gen(function* () {
      const counts = yield* HourlyOrderCounts
      yield* counts.add([count("2026112013", 42, 2), count("2026112013", 7), count("2026112014", 42)])
      expect((yield* keysUnder(prefix)).sort()).toEqual([
        `${prefix}orders:h:2026112013`,
        `${prefix}orders:h:2026112014`,
      ])
      const members = yield* Effect.promise(() =>
        redis.raw().zrange(`${prefix}orders:h:2026112013`, 0, -1, "WITHSCORES"),
      )
      expect(members).toEqual(["0000000000000042", "-2", "0000000000000007", "-1"])
      const ttl = yield* Effect.promise(() => redis.raw().ttl(`${prefix}orders:h:2026112014`))
      expect(HOURLY_ORDERS_TTL_SECONDS).toBe(92 * 24 * 60 * 60)
      expect(ttl).toBeGreaterThan(HOURLY_ORDERS_TTL_SECONDS - 10)
      expect(ttl).toBeLessThanOrEqual(HOURLY_ORDERS_TTL_SECONDS)
    }).pipe(Effect.provide(HourlyOrderCountsRedis.pipe(Layer.provide(redis.withPrefix(prefix)))))
  })

  it.live("hundreds of concurrent reads racing adds leave no temporary key and end on the exact totals", () => {
    const prefix = `${redis.runPrefix}race:`
    return Effect.gen(function* () {
      const counts = yield* HourlyOrderCounts
      const adds = Array.from({ length: 300 }, (_, i) => [
        count(`2026112${i % 3}${String(i % 24).padStart(2, "0")}`, (i % 11) + 1),
      ])
      const from = d("20261120")
      const to = d("20261122")
      const reads = yield* Effect.all(
        [
          ...adds.map((batch) => Effect.as(counts.add(batch), undefined)),
          ...Array.from({ length: 300 }, () => counts.topByOrders(from, to, 5)),
        ],
        { concurrency: "unbounded" },
      )
      // every read saw a consistent prefix of the adds: at most 300 orders in total, never more
      for (const top of reads) {
        if (top === undefined) continue
        expect(top.length).toBeLessThanOrEqual(5)
        expect(top.reduce((sum, e) => sum + e.orders, 0)).toBeLessThanOrEqual(300)
      }
      expect(yield* counts.topByOrders(from, to, 100)).toEqual(topByOrdersModel(adds.flat(), from, to, 100))
      expect((yield* keysUnder(prefix)).filter((k) => !k.startsWith(`${prefix}orders:h:`))).toEqual([])
    }).pipe(Effect.provide(HourlyOrderCountsRedis.pipe(Layer.provide(redis.withPrefix(prefix)))))
  })

  it.live("with cacheMillis, a window's sum is served again until it expires, then summed afresh", () => {
    const prefix = `${redis.runPrefix}cached:`
    const day = d("20261120")
    return Effect.gen(function* () {
      const counts = yield* HourlyOrderCounts
      yield* counts.add([count("2026112010", 1), count("2026112011", 2)])
      const first = yield* counts.topByOrders(day, day, 5)
      expect(first).toEqual([
        { productId: 1, orders: 1 },
        { productId: 2, orders: 1 },
      ])
      yield* counts.add([count("2026112012", 2, 5)])
      // the same window, any limit: the kept sum, not the new order
      expect(yield* counts.topByOrders(day, day, 5)).toEqual(first)
      expect(yield* counts.topByOrders(day, day, 1)).toEqual([{ productId: 1, orders: 1 }])
      const pttl = yield* Effect.promise(() => redis.raw().pttl(`${prefix}orders:top:20261120:20261120`))
      expect(pttl).toBeGreaterThan(0)
      expect(pttl).toBeLessThanOrEqual(2_000)
      // another window is summed on its own
      expect(yield* counts.topByOrders(d("20261119"), day, 5)).toEqual([
        { productId: 2, orders: 6 },
        { productId: 1, orders: 1 },
      ])
      yield* Effect.sleep(2_100)
      expect(yield* counts.topByOrders(day, day, 5)).toEqual([
        { productId: 2, orders: 6 },
        { productId: 1, orders: 1 },
      ])
      // hundreds of readers of a cold window all get the one sum; nothing but buckets and sums remain
      yield* Effect.sleep(2_100)
      yield* counts.add([count("2026112013", 3, 9)])
      const reads = yield* Effect.all(
        Array.from({ length: 200 }, () => counts.topByOrders(day, day, 5)),
        { concurrency: "unbounded" },
      )
      const expected = [
        { productId: 3, orders: 9 },
        { productId: 2, orders: 6 },
        { productId: 1, orders: 1 },
      ]
      for (const top of reads) expect(top).toEqual(expected)
      const keys = yield* keysUnder(prefix)
      expect(keys.filter((k) => !k.startsWith(`${prefix}orders:h:`) && !k.startsWith(`${prefix}orders:top:`))).toEqual(
        [],
      )
    }).pipe(
      Effect.provide(HourlyOrderCountsRedisWith({ cacheMillis: 2_000 }).pipe(Layer.provide(redis.withPrefix(prefix)))),
    )
  })

  it.live(
    "in the bundle: OrderPaid reaches the hourly buckets through RedisEventConsumers and RankingService reads them",
    () => {
      const prefix = `${redis.runPrefix}bundle:`
      const stores = RedisAdaptersOn(redis.withPrefix(prefix)).pipe(
        Layer.provideMerge(Layer.mergeAll(CatalogMemory, CouponsMemory, RankingMemory)),
        Layer.provideMerge(Layer.mergeAll(MemoryDatabaseLive, IdGeneratorRandom, RankingWeightsDefault)),
      )
      const live = RankingServiceLive.pipe(Layer.provideMerge(stores))
      return Effect.gen(function* () {
        const consumers = yield* RedisEventConsumers
        const hourly = consumers.find((c) => c.name === HOURLY_ORDER_COUNTS_CONSUMER_NAME)
        expect(hourly?.interestedIn).toEqual(new Set(["OrderPaid"]))
        const paid = (orderId: number, productIds: ReadonlyArray<number>, at: string) =>
          Effect.map(
            newEvent("OrderPaid", {
              aggregateKey: aggregateKey.order(orderId),
              orderId: OrderId.make(orderId),
              userId: UserId.make(1),
              lines: productIds.map((id) => ({
                productId: ProductId.make(id),
                quantity: Quantity.make(1),
                unitPrice: Money.make(1_000),
              })),
              paidAmount: Money.make(1_000 * productIds.length),
              paymentType: "POINT",
            }),
            (event) => ({ ...event, occurredAt: new Date(at) }),
          )
        // Seoul 2026-11-20 23:30, 2026-11-21 00:30 and 2026-11-22 12:00
        const events = [
          yield* paid(1, [5, 6], "2026-11-20T14:30:00.000Z"),
          yield* paid(2, [6], "2026-11-20T15:30:00.000Z"),
          yield* paid(3, [6, 7], "2026-11-22T03:00:00.000Z"),
        ]
        yield* hourly!.handle(events[0]!)
        yield* hourly!.handleBatch!([events[1]!, events[2]!])
        expect((yield* keysUnder(`${prefix}orders:h:`)).sort()).toEqual([
          `${prefix}orders:h:2026112023`,
          `${prefix}orders:h:2026112100`,
          `${prefix}orders:h:2026112212`,
        ])
        const service = yield* RankingService
        expect(yield* service.topProducts({ days: 3, today: "20261122" })).toEqual([
          { rank: 1, productId: 6, orderCount: 3 },
          { rank: 2, productId: 5, orderCount: 1 },
          { rank: 3, productId: 7, orderCount: 1 },
        ])
        expect(yield* service.topProducts({ days: 2, limit: 1, today: "20261122" })).toEqual([
          { rank: 1, productId: 6, orderCount: 2 },
        ])
        // the daily metrics were never fed here: the answer came from the Redis buckets
        expect(yield* (yield* ProductMetricsRepository).topByOrders(d("20261120"), d("20261122"), 5)).toEqual([])
      }).pipe(Effect.provide(live))
    },
  )
})
