/**
 * Adapter-level benchmark (not a test): the Redis paths alone, in one process, against the
 * Redis of SERVICES.md (or REDIS_URL), over the memory store of truth. HTTP figures belong
 * to packages/http's benchmark once it composes RedisAdaptersLive.
 *
 *   npx vite-node packages/adapters-redis/bench/bench.ts -- [--concurrency 200] [--only top]
 */
import { randomBytes } from "node:crypto"
import { CatalogMemory, CouponsMemory, MemoryDatabaseLive } from "@commerce-core/adapters-memory"
import {
  addBusinessDays,
  BrandRepository,
  BusinessDate,
  type BusinessHour,
  businessDaysBetween,
  CatalogDescription,
  CatalogName,
  CouponTemplateRepository,
  HourlyOrderCounts,
  hoursOfDay,
  IssuedCouponRepository,
  Money,
  PageRequest,
  ProductId,
  ProductRepository,
  Quantity,
  RankingBoard,
  StockLevel,
  UserId,
} from "@commerce-core/domain"
import { Effect, Either, Layer } from "effect"
import {
  acquireRedis,
  HourlyOrderCountsRedis,
  makeRedisConnection,
  RedisAdapters,
  RedisClient,
  TOP_PRODUCTS_CACHE_MILLIS,
} from "../src/index.js"

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const concurrency = arg("concurrency", 200)
// `--only top` runs only the scenarios whose name starts with "top" (the set-up still runs)
const onlyAt = process.argv.indexOf("--only")
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined
const selected = (name: string) => only === undefined || name.startsWith(only)
const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379"
const prefix = `commerce_bench:${randomBytes(4).toString("hex")}:`

const percentile = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

/** Runs `n` calls with `concurrency` in flight; reports ops/s and latency percentiles in ms. */
const measure = <A, E, R>(name: string, n: number, call: (i: number) => Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    if (!selected(name)) return []
    const latencies: Array<number> = []
    const start = performance.now()
    const results = yield* Effect.all(
      Array.from({ length: n }, (_, i) =>
        Effect.suspend(() => {
          const t0 = performance.now()
          return Effect.ensuring(
            Effect.either(call(i)),
            Effect.sync(() => latencies.push(performance.now() - t0)),
          )
        }),
      ),
      { concurrency },
    )
    const seconds = (performance.now() - start) / 1000
    latencies.sort((a, b) => a - b)
    const row = {
      scenario: name,
      calls: n,
      concurrency,
      opsPerSec: Math.round(n / seconds),
      p50ms: Number(percentile(latencies, 50).toFixed(2)),
      p99ms: Number(percentile(latencies, 99).toFixed(2)),
    }
    console.log(JSON.stringify(row))
    return results
  })

const program = Effect.gen(function* () {
  const brands = yield* BrandRepository
  const products = yield* ProductRepository
  const templates = yield* CouponTemplateRepository
  const coupons = yield* IssuedCouponRepository
  const board = yield* RankingBoard

  // Coupon issue through the gate: 10,000 attempts for 1,000 coupons.
  const now = new Date()
  const template = yield* templates.insert({
    name: "Bench",
    type: "FIXED",
    value: 1_000,
    totalQuantity: 1_000,
    issueStartsAt: new Date(now.getTime() - 60_000),
    issueEndsAt: new Date(now.getTime() + 3_600_000),
    validDays: 7,
    createdAt: now,
  })
  const issues = yield* measure("coupon issue through the gate (10,000 for 1,000)", 10_000, (i) =>
    coupons.issue(template, UserId.make(i + 1), now),
  )
  const issued = issues.filter((r) => Either.isRight(r)).length
  console.log(JSON.stringify({ check: "coupons issued", issued, expected: 1_000 }))
  if (selected("coupon") && issued !== 1_000) throw new Error(`issued ${issued}, expected 1,000`)

  // Product detail on cache hits.
  const brand = yield* brands.insert({
    name: CatalogName.make("Bench"),
    description: CatalogDescription.make(""),
    active: true,
    createdAt: now,
  })
  const ids: Array<ProductId> = []
  for (let i = 0; i < 100; i++) {
    const p = yield* products.insert({
      brandId: brand.id,
      name: CatalogName.make(`Product ${i}`),
      description: CatalogDescription.make(""),
      price: Money.make(1_000 + i),
      stock: StockLevel.make(100),
      maxOrderQuantity: Quantity.make(10),
      status: "ACTIVE",
      createdAt: now,
    })
    ids.push(p.id)
  }
  yield* Effect.sleep(2_100) // past the writes' hold
  for (const id of ids) yield* products.findById(id) // warm
  yield* measure("product detail, cache hit (findById + brand)", 50_000, (i) =>
    Effect.zip(products.findById(ids[i % ids.length] as ProductId), brands.findById(brand.id)),
  )

  // Ranking page.
  const day = BusinessDate.make("20261121")
  yield* board.increment(
    day,
    ids.map((productId, i) => ({ productId, points: i * 100 })),
  )
  yield* measure("ranking top page (size 20)", 50_000, (i) =>
    board.top(day, new PageRequest({ page: i % 3, size: 20 })),
  )
  yield* measure("ranking increment (one event)", 50_000, (i) =>
    board.increment(day, [{ productId: ProductId.make((i % 100) + 1), points: 100 }]),
  )

  // Top products from hourly buckets: 90 days x 24 hours, 20 of 1,000 products ordered per hour.
  const hourly = yield* HourlyOrderCounts
  const today = BusinessDate.make("20261121")
  const first = addBusinessDays(today, -89)
  for (const date of businessDaysBetween(first, today)) {
    yield* hourly.add(
      hoursOfDay(date).flatMap((hour, h) =>
        Array.from({ length: 20 }, (_, k) => ({
          hour,
          productId: ProductId.make(((h * 37 + k * 53 + Number(date.slice(6))) % 1_000) + 1),
          orders: (k % 3) + 1,
        })),
      ),
    )
  }
  const redis = yield* RedisClient
  // Redis's own CPU time per ZUNIONSTORE (INFO commandstats), which a loaded client machine does not inflate.
  const unionStats = redis
    .run("info", (c) => c.info("commandstats"))
    .pipe(
      Effect.map((info) => {
        const m = /cmdstat_zunionstore:calls=(\d+),usec=(\d+)/.exec(info)
        return { calls: Number(m?.[1] ?? 0), usec: Number(m?.[2] ?? 0) }
      }),
    )
  const serverCost = (name: string, effect: Effect.Effect<unknown, unknown>) =>
    Effect.gen(function* () {
      const before = yield* unionStats
      yield* effect
      const after = yield* unionStats
      const calls = after.calls - before.calls
      if (calls === 0) return
      const redisUsPerCall = Math.round((after.usec - before.usec) / calls)
      console.log(JSON.stringify({ scenario: name, zunionstoreCalls: calls, redisUsPerCall }))
    })
  // uncached: every read sums the buckets (what RedisAdapters does with topProducts.cacheMillis 0)
  const fresh = yield* Effect.provide(HourlyOrderCounts, HourlyOrderCountsRedis)
  const window3 = "top products, 3-day window (72 hourly buckets), uncached"
  yield* serverCost(
    window3,
    measure(window3, 5_000, () => fresh.topByOrders(addBusinessDays(today, -2), today, 5)),
  )
  const window90 = "top products, 90-day window (2,160 hourly buckets), uncached"
  yield* serverCost(
    window90,
    measure(window90, 500, () => fresh.topByOrders(first, today, 5)),
  )
  // the bundle's default: the window's sum is reused for TOP_PRODUCTS_CACHE_MILLIS
  const cached90 = `top products, 90-day window, bundle default (sum kept ${TOP_PRODUCTS_CACHE_MILLIS} ms)`
  yield* serverCost(
    cached90,
    measure(cached90, 50_000, () => hourly.topByOrders(first, today, 5)),
  )
  yield* measure("hourly order count add (one paid order, 2 lines)", 50_000, (i) =>
    hourly.add([
      { hour: hoursOfDay(today)[i % 24] as BusinessHour, productId: ProductId.make((i % 100) + 1), orders: 1 },
      { hour: hoursOfDay(today)[i % 24] as BusinessHour, productId: ProductId.make((i % 7) + 1), orders: 1 },
    ]),
  )
})

const redisLayer = Layer.scoped(
  RedisClient,
  Effect.map(acquireRedis({ url }), (client) => makeRedisConnection(client, prefix)),
)
const live = RedisAdapters().pipe(
  Layer.provideMerge(redisLayer),
  Layer.provideMerge(Layer.merge(CatalogMemory, CouponsMemory)),
  Layer.provide(MemoryDatabaseLive),
)

const cleanup = Effect.scoped(
  Effect.flatMap(acquireRedis({ url }), (client) =>
    Effect.promise(async () => {
      const stream = client.scanStream({ match: `${prefix}*`, count: 1_000 })
      for await (const keys of stream as AsyncIterable<Array<string>>) if (keys.length > 0) await client.unlink(...keys)
    }),
  ),
)

await Effect.runPromise(program.pipe(Effect.provide(live), Effect.ensuring(Effect.ignore(cleanup))))
