/**
 * Not a test: point orders on one hot product straight through OrderService on MySQL (no HTTP),
 * `CONCURRENCY` callers at once, reporting orders/s, p50/p99 latency and the oversell check;
 * then product reads by primary key (no cache) at the same concurrency.
 *
 *   npx vite-node packages/adapters-mysql/test/bench/HotProductBench.ts
 *
 * Env: MYSQL_TEST_URL (server; a scratch database is created and dropped), ORDERS (default 5000),
 * CONCURRENCY (64), POOL (32), COLD_PRODUCTS (0; n > 0 spreads the orders over n products), MYSQL_STATEMENT_SPANS (true: statements with spans, as @effect/sql runs them).
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
const coldProducts = Number(process.env.COLD_PRODUCTS ?? 0)
const server = Either.getOrThrow(parseMysqlUrl(process.env.MYSQL_TEST_URL ?? "mysql://root@127.0.0.1:3306/test", 2))
const database = `commerce_test_bench_${randomBytes(4).toString("hex")}`

const admin = <A, E>(f: (sql: SqlClient) => Effect.Effect<A, E>) =>
  Effect.flatMap(SqlClient, f).pipe(Effect.provide(mysqlClientLayer(server)))

const bench = Effect.gen(function* () {
  yield* runMigrations
  const users = 200
  const product = yield* seedProduct({ price: 1_000, stock: orders })
  // COLD_PRODUCTS=n: the same orders spread over n other products (stock to spare), no row contended
  const cold = yield* Effect.forEach(Array.from({ length: coldProducts }), () =>
    seedProduct({ price: 1_000, stock: 1_000_000 }),
  )
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
  const cpu = process.cpuUsage()
  const started = performance.now()
  yield* Effect.forEach(
    Array.from({ length: orders + 200 }, (_, i) => i),
    (i) =>
      Effect.suspend(() => {
        const t0 = performance.now()
        return service
          .place({
            userId: UserId.make((i % users) + 1),
            items: [{ productId: (cold.length === 0 ? product : cold[i % cold.length]!).id, quantity: 1 }],
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
  const used = process.cpuUsage(cpu)
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
      // the process's CPU (main thread and helpers) per placement: what bounds it when MariaDB is not
      cpuMicrosPerOrder: Math.round((used.user + used.system) / (orders + 200)),
      stockAfter: stock,
      // the hot product's stock covers `orders` units: more successes than that (only it is ordered) or a negative stock is oversold
      oversold: (cold.length === 0 && latencies.length > orders) || stock < 0,
      concurrency,
      poolSize,
    }),
  )
})

await Effect.runPromise(admin((sql) => sql`CREATE DATABASE ${sql(database)}`.raw))
try {
  // MYSQL_STATEMENT_SPANS=true: @effect/sql's own statement path, to compare with the lean one
  const statementSpans = process.env.MYSQL_STATEMENT_SPANS === "true"
  const client = mysqlClientLayer({ ...server, database, poolSize, statementSpans })
  await Effect.runPromise(bench.pipe(Effect.provide(mysqlWorld().pipe(Layer.provideMerge(client)))))
} finally {
  await Effect.runPromise(admin((sql) => sql`DROP DATABASE IF EXISTS ${sql(database)}`.raw))
}
