/**
 * Not a test: point orders on one hot product straight through OrderService on MySQL (no HTTP),
 * `CONCURRENCY` callers at once, reporting orders/s, p50/p99 latency and the oversell check;
 * then product reads by primary key (no cache) at the same concurrency.
 *
 *   npx vite-node packages/adapters-mysql/test/bench/HotProductBench.ts
 *
 * Env: MYSQL_TEST_URL (server; a scratch database is created and dropped), ORDERS (default 5000),
 * CONCURRENCY (64), POOL (32).
 */
import { randomBytes } from "node:crypto"
import { OrderService, PointService, PointWalletRepository, ProductRepository, UserId } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { Effect, Either, Layer } from "effect"
import { mysqlClientLayer, parseMysqlUrl, runMigrations } from "../../src/index.js"
import { mysqlWorld, seedProduct } from "../support/MysqlWorld.js"

const orders = Number(process.env.ORDERS ?? 5_000)
const concurrency = Number(process.env.CONCURRENCY ?? 64)
const poolSize = Number(process.env.POOL ?? 32)
const server = Either.getOrThrow(parseMysqlUrl(process.env.MYSQL_TEST_URL ?? "mysql://root@127.0.0.1:3306/test", 2))
const database = `commerce_test_bench_${randomBytes(4).toString("hex")}`

const admin = <A, E>(f: (sql: SqlClient) => Effect.Effect<A, E>) =>
  Effect.flatMap(SqlClient, f).pipe(Effect.provide(mysqlClientLayer(server)))

const bench = Effect.gen(function* () {
  yield* runMigrations
  const users = 200
  const product = yield* seedProduct({ price: 1_000, stock: orders })
  yield* Effect.forEach(
    Array.from({ length: users }, (_, i) => UserId.make(i + 1)),
    (user) =>
      Effect.gen(function* () {
        yield* (yield* PointWalletRepository).create(user, new Date(0))
        yield* (yield* PointService).charge({ userId: user, amount: 10_000_000 })
      }),
    { concurrency: 16 },
  )
  const service = yield* OrderService
  const latencies: Array<number> = []
  let failed = 0
  const started = performance.now()
  yield* Effect.forEach(
    Array.from({ length: orders + 200 }, (_, i) => i),
    (i) =>
      Effect.suspend(() => {
        const t0 = performance.now()
        return service
          .place({
            userId: UserId.make((i % users) + 1),
            items: [{ productId: product.id, quantity: 1 }],
            paymentType: "POINT",
          })
          .pipe(
            Effect.match({
              onFailure: () => void failed++,
              onSuccess: () => void latencies.push(performance.now() - t0),
            }),
          )
      }),
    { concurrency, discard: true },
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]?.toFixed(1)
  const after = yield* (yield* ProductRepository).findById(product.id)
  const stock = after._tag === "Some" ? after.value.stock : -1
  const reads = orders * 4
  const readStarted = performance.now()
  const repo = yield* ProductRepository
  yield* Effect.forEach(Array.from({ length: reads }), () => repo.findById(product.id), { concurrency, discard: true })
  const readsPerSecond = Math.round(reads / ((performance.now() - readStarted) / 1000))
  console.log(
    JSON.stringify({
      productReadsByIdPerSecond: readsPerSecond,
      orders: latencies.length,
      rejected: failed,
      seconds: Number(seconds.toFixed(2)),
      ordersPerSecond: Math.round((orders + 200) / seconds),
      p50ms: at(0.5),
      p99ms: at(0.99),
      stockAfter: stock,
      oversold: latencies.length > orders || stock < 0,
      concurrency,
      poolSize,
    }),
  )
})

await Effect.runPromise(admin((sql) => sql`CREATE DATABASE ${sql(database)}`.raw))
try {
  const client = mysqlClientLayer({ ...server, database, poolSize })
  await Effect.runPromise(bench.pipe(Effect.provide(mysqlWorld().pipe(Layer.provideMerge(client)))))
} finally {
  await Effect.runPromise(admin((sql) => sql`DROP DATABASE IF EXISTS ${sql(database)}`.raw))
}
