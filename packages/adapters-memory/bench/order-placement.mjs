// Throughput of POINT order placement on the memory adapters, in one process.
// Build first, then run:  npm run build && node packages/adapters-memory/bench/order-placement.mjs
// Options (env): ORDERS (default 100000), CONCURRENCY (default 64), LINES (max lines per order, default 3),
// BREAKDOWN=0 to skip the per-step costs (e.g. when profiling the concurrent run alone),
// CPU_PROFILE=file.cpuprofile to write a V8 CPU profile of the measured run alone, or
// ALLOC_PROFILE=file.heapprofile for a sampling profile of what it allocates (freed objects too).
// Before the run it prints the Effect steps one order takes (the same on every machine) and the
// time of a fixed reference workload (how fast the machine is right now: compare figures from
// different hours only together with it).
// It prints orders/s and the p50/p99/max latency of one placement under that concurrency (time from
// calling place to its completion, waiting for the store's single writer included), then the cost
// of the steps a one-line order is made of, measured alone, to show where time goes.

import os from "node:os"
import {
  CartRepositoryMemory,
  CatalogMemory,
  CouponsMemory,
  EventOutboxMemory,
  IdGeneratorRandom,
  MemoryDatabaseLive,
  OrderRepositoryMemory,
  OutboxTableMemoryLive,
  PaymentGatewaySimulated,
  PointWalletRepositoryMemory,
  TransactorMemory,
} from "@commerce-core/adapters-memory"
import {
  BrandRepository,
  CartServiceLive,
  CouponServiceLive,
  EventOutbox,
  IdGenerator,
  Money,
  OrderService,
  OrderServiceLive,
  PointPolicyDefault,
  PointService,
  PointServiceLive,
  PointWalletRepository,
  ProductRepository,
  stampEvent,
  Transactor,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { countSteps, machineReference, profiled } from "./measure.mjs"

const ORDERS = Number(process.env.ORDERS ?? 100_000)
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64)
const MAX_LINES = Number(process.env.LINES ?? 3)
const USERS = 1_000
const PRODUCTS = 200

const stores = Layer.mergeAll(
  TransactorMemory,
  IdGeneratorRandom,
  EventOutboxMemory.pipe(Layer.provideMerge(OutboxTableMemoryLive)),
  CatalogMemory,
  PointWalletRepositoryMemory,
  CartRepositoryMemory,
  CouponsMemory,
  OrderRepositoryMemory,
).pipe(Layer.provideMerge(MemoryDatabaseLive))
const services = Layer.mergeAll(PointServiceLive, CartServiceLive, CouponServiceLive).pipe(
  Layer.provideMerge(PointPolicyDefault),
  Layer.provideMerge(stores),
)
const world = OrderServiceLive.pipe(Layer.provideMerge(PaymentGatewaySimulated()), Layer.provideMerge(services))

const seed = Effect.gen(function* () {
  const brands = yield* BrandRepository
  const products = yield* ProductRepository
  const wallets = yield* PointWalletRepository
  const points = yield* PointService
  const brand = yield* brands.insert({ name: "Bench", description: "", active: true, createdAt: new Date(0) })
  const productIds = []
  for (let i = 0; i < PRODUCTS; i++) {
    const p = yield* products.insert({
      brandId: brand.id,
      name: `Product ${i}`,
      description: "",
      price: Money.make(100 + i),
      stock: 1_000_000_000,
      maxOrderQuantity: 10,
      status: "ACTIVE",
      createdAt: new Date(0),
    })
    productIds.push(p.id)
  }
  const userIds = []
  for (let u = 1; u <= USERS; u++) {
    yield* wallets.create(u, new Date(0))
    for (let c = 0; c < 20; c++) yield* points.charge({ userId: u, amount: 10_000_000 })
    userIds.push(u)
  }
  return { productIds, userIds }
})

let rng = 42
// `| 0`: the remainder of double arithmetic is a boxed double in V8, and a quantity stored as
// one makes every order line, event and stock figure derived from it a boxed double too;
// quantities parsed from an HTTP body are small integers.
const random = (n) => {
  rng = (rng * 1_103_515_245 + 12_345) % 2_147_483_648
  return (rng % n) | 0
}

const orderInput = (productIds, userIds) => {
  const count = 1 + random(MAX_LINES)
  const start = random(PRODUCTS - count)
  const items = []
  for (let i = 0; i < count; i++) items.push({ productId: productIds[start + i], quantity: 1 + random(3) })
  return { userId: userIds[random(USERS)], items, paymentType: "POINT" }
}

const placeMany = (orders, n, productIds, userIds, latencies) =>
  Effect.forEach(
    Array.from({ length: n }, () => orderInput(productIds, userIds)),
    (input) =>
      Effect.suspend(() => {
        const started = performance.now()
        return Effect.tap(orders.place(input), () => {
          if (latencies) latencies.push(performance.now() - started)
        })
      }),
    { concurrency: CONCURRENCY, discard: true },
  )

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]

const program = Effect.gen(function* () {
  const { productIds, userIds } = yield* seed
  const orders = yield* OrderService
  yield* placeMany(orders, 5_000, productIds, userIds)
  const steps = yield* countSteps(placeMany(orders, 1_000, productIds, userIds))
  console.log(
    `Effect steps per order: ${(steps / 1_000).toFixed(1)}; reference workload: ${machineReference().toFixed(0)} ms (lower: a faster machine right now)`,
  )
  const latencies = []
  const cpu = process.cpuUsage()
  const started = performance.now()
  yield* profiled(
    { cpu: process.env.CPU_PROFILE, allocations: process.env.ALLOC_PROFILE },
    placeMany(orders, ORDERS, productIds, userIds, latencies),
  )
  const seconds = (performance.now() - started) / 1000
  const { user, system } = process.cpuUsage(cpu)
  const rate = Math.round(ORDERS / seconds)
  latencies.sort((a, b) => a - b)
  const ms = (x) => `${x.toFixed(2)} ms`
  console.log(
    `${ORDERS} POINT orders (1-${MAX_LINES} lines, concurrency ${CONCURRENCY}) in ${seconds.toFixed(2)} s: ${rate} orders/s;` +
      ` latency p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies[latencies.length - 1])}`,
  )
  // CPU time of the process (GC helper threads included): less sensitive to a shared, loaded machine.
  console.log(
    `  CPU ${((user + system) / ORDERS) | 0} us per order (${Math.round((ORDERS * 1e6) / (user + system))} orders per CPU-second); load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  )
})

const perCall = (name, n, make) =>
  Effect.gen(function* () {
    const cpu = process.cpuUsage()
    const started = performance.now()
    for (let i = 0; i < n; i++) yield* make(i)
    const wall = ((performance.now() - started) * 1000) / n
    const used = process.cpuUsage(cpu)
    console.log(`  ${name}: ${wall.toFixed(1)} us (CPU ${((used.user + used.system) / n).toFixed(1)} us)`)
  })

const breakdown = Effect.gen(function* () {
  const { productIds, userIds } = yield* seed
  const orders = yield* OrderService
  const products = yield* ProductRepository
  const points = yield* PointService
  const tx = yield* Transactor
  const n = 5_000
  console.log("cost per call, one at a time:")
  yield* perCall("warm-up place", n, (i) =>
    orders.place({
      userId: userIds[i % USERS],
      items: [{ productId: productIds[0], quantity: 1 }],
      paymentType: "POINT",
    }),
  )
  yield* perCall("OrderService.place, 1 line", n, (i) =>
    orders.place({
      userId: userIds[i % USERS],
      items: [{ productId: productIds[1], quantity: 1 }],
      paymentType: "POINT",
    }),
  )
  yield* perCall("empty Transactor.withTransaction", n, () => tx.withTransaction(Effect.void))
  yield* perCall("ProductRepository.decrementStock", n, () => products.decrementStock(productIds[2], 1))
  yield* perCall("PointService.use", n, (i) =>
    points.use({ userId: userIds[i % USERS], amount: 1, orderId: 1_000_000 + i }),
  )
  const ids = yield* IdGenerator
  const outbox = yield* EventOutbox
  const draft = (i) => ({
    aggregateKey: `user:${i}`,
    userId: userIds[i % USERS],
    amount: 1,
    balanceAfter: 1,
    orderId: 1,
  })
  yield* perCall("stampEvent", n, (i) => stampEvent(ids, "PointsUsed", draft(i)))
  const events = yield* Effect.forEach([0, 1, 2], (i) => stampEvent(ids, "PointsUsed", draft(i)))
  yield* perCall("EventOutbox.append, 3 events, in a transaction", n, () => tx.withTransaction(outbox.append(events)))
})

const BREAKDOWN = process.env.BREAKDOWN !== "0"
;(BREAKDOWN ? Effect.runPromise(Effect.scoped(Effect.provide(breakdown, world))) : Promise.resolve())
  .then(() => Effect.runPromise(Effect.scoped(Effect.provide(program, world))))
  .catch((error) => {
    console.error(error)
    process.exit(1)
  })
