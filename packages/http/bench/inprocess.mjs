// In-process throughput (no sockets, no load generator): app.hono.fetch driven by 50 concurrent
// callers. Separates the cost of the API and the domain from the network and from autocannon.
//   npm run build && node packages/http/bench/inprocess.mjs [--requests 5000] [--repeat 3] [--only detail]
// Each scenario is warmed up first (JIT) and then measured --repeat times; "idle" is the CPU the
// process burns with no requests (background jobs, pipeline polling). The CPU window of a
// measurement includes a settle period after the last response, so the events a request
// raised (relay, consumers) are paid for by that request; the idle CPU of the settle period is
// subtracted.
import { LogLevel, Redacted } from "effect"
import { makeApp, makeEmbeddedLayer, makeHttpConfig, seedDemoData } from "../dist/index.js"

const requestsArg = process.argv.indexOf("--requests")
const total = requestsArg > 0 ? Number(process.argv[requestsArg + 1]) : 5000
const repeatArg = process.argv.indexOf("--repeat")
const repeat = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 1
const onlyArg = process.argv.indexOf("--only")
const only = onlyArg > 0 ? process.argv[onlyArg + 1] : undefined
const concurrency = 50
const settleMillis = 400
const adminKey = "bench-admin-key-0123456789"

const app = makeApp({
  layer: makeEmbeddedLayer(),
  config: makeHttpConfig({ logLevel: LogLevel.Warning, authMode: "gateway", adminKey: Redacted.make(adminKey) }),
  defaultMetrics: false,
})
await app.runtime.runtime()
await app.runtime.runPromise(seedDemoData)

const call = (method, path, body, headers = {}) =>
  app.hono.fetch(
    new Request(`http://bench${path}`, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? null : JSON.stringify(body),
    }),
  )

// a product with stock for every order of the run (the demo products sell out)
const admin = { "x-admin-key": adminKey }
const created = async (response) => (await response.json()).data
const brand = await created(
  await call("POST", "/api/admin/v1/brands", { name: "Bench", description: "benchmark" }, admin),
)
const product = await created(
  await call(
    "POST",
    "/api/admin/v1/products",
    { brandId: brand.id, name: "Bench item", description: "", price: 100, stock: 100_000_000, maxOrderQuantity: 10 },
    admin,
  ),
)

for (let u = 0; u < concurrency; u++) {
  await call("POST", "/api/v1/users", {
    userId: `b${u}`,
    email: `b${u}@bench.io`,
    gender: "MALE",
    birthDate: "1990-01-01",
  })
  await call("POST", "/api/v1/points/charge", { reqPoint: 10_000_000 }, { "x-user-id": `b${u}` })
}

const drive = async (count, request) => {
  let issued = 0
  let failed = 0
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (issued++ < count) {
        const response = await request(worker, issued)
        if (response.status >= 400) failed++
        await response.text()
      }
    }),
  )
  return failed
}

const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis))

const idleCpuPerSecond = async () => {
  await sleep(1000)
  const before = process.cpuUsage()
  const started = performance.now()
  await sleep(1000)
  const cpu = process.cpuUsage(before)
  return (cpu.user + cpu.system) / ((performance.now() - started) / 1000)
}

const measureOnce = async (name, request) => {
  let issued = 0
  let failed = 0
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (issued++ < total) {
        const response = await request(worker, issued)
        if (response.status >= 400) failed++
        await response.text()
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  await sleep(settleMillis)
  const cpu = process.cpuUsage(cpuBefore)
  const cpuSeconds = (cpu.user + cpu.system - (idle * settleMillis) / 1000) / 1e6
  // CPU time does not depend on what else the machine runs; wall-clock req/s does
  const row = {
    scenario: name,
    "req/s": Math.round(total / seconds),
    "CPU us/request": Math.round((cpuSeconds * 1e6) / total),
    "req per CPU s": Math.round(total / cpuSeconds),
    failed,
  }
  console.log(JSON.stringify(row))
  return row
}

const measure = async (name, request) => {
  if (only !== undefined && !name.includes(only)) return []
  await drive(Math.min(total, 2000), request)
  const rows = []
  for (let r = 0; r < repeat; r++) rows.push(await measureOnce(name, request))
  return rows
}

const idle = await idleCpuPerSecond()
console.log(JSON.stringify({ scenario: "idle", "CPU us per second": Math.round(idle) }))

const rows = [
  ...(await measure("health", () => call("GET", "/health"))),
  ...(await measure("product detail", (_, i) => call("GET", `/api/v1/products/${1 + (i % 50)}`))),
  ...(await measure("product list", () => call("GET", "/api/v1/products?size=20"))),
  ...(await measure("ranking page", () => call("GET", "/api/v1/rankings?size=20"))),
  ...(await measure("point order placement", (worker) =>
    call("POST", "/api/v1/orders", { items: [{ productId: product.id, quantity: 1 }] }, { "x-user-id": `b${worker}` }),
  )),
]
console.table(rows)
await app.dispose()
