// In-process throughput (no sockets, no load generator): app.hono.fetch driven by 50 concurrent
// callers. Separates the cost of the API and the domain from the network and from autocannon.
//   npm run build && node packages/http/bench/inprocess.mjs [--requests 5000]
import { LogLevel } from "effect"
import { makeApp, makeEmbeddedLayer, makeHttpConfig, seedDemoData } from "../dist/index.js"

const requestsArg = process.argv.indexOf("--requests")
const total = requestsArg > 0 ? Number(process.argv[requestsArg + 1]) : 5000
const concurrency = 50

const app = makeApp({
  layer: makeEmbeddedLayer(),
  config: makeHttpConfig({ logLevel: LogLevel.Warning, authMode: "gateway" }),
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

for (let u = 0; u < concurrency; u++) {
  await call("POST", "/api/v1/users", {
    userId: `b${u}`,
    email: `b${u}@bench.io`,
    gender: "MALE",
    birthDate: "1990-01-01",
  })
  await call("POST", "/api/v1/points/charge", { reqPoint: 10_000_000 }, { "x-user-id": `b${u}` })
}

const measure = async (name, request) => {
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
  const cpu = process.cpuUsage(cpuBefore)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
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

const rows = [
  await measure("health", () => call("GET", "/health")),
  await measure("product detail", (_, i) => call("GET", `/api/v1/products/${1 + (i % 50)}`)),
  await measure("product list", () => call("GET", "/api/v1/products?size=20")),
  await measure("ranking page", () => call("GET", "/api/v1/rankings?size=20")),
  await measure("point order placement", (worker, i) =>
    call(
      "POST",
      "/api/v1/orders",
      { items: [{ productId: 1 + (i % 50), quantity: 1 }] },
      { "x-user-id": `b${worker}` },
    ),
  ),
]
console.table(rows)
await app.dispose()
