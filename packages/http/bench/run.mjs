// Benchmark of the server npm start runs (not a test; MYSQL_URL / REDIS_URL in the environment pick the engines): starts the built server, prepares users and
// a product, then drives it with wrk (a C load generator, `apt-get install wrk`, so that the load costs
// the server's cores little) and prints req/s and latency percentiles.
//   npm run build && node packages/http/bench/run.mjs [--duration 10] [--connections 50] [--threads 1] [--warmup 3]
import { spawn, spawnSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const args = new Map()
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1])
const duration = Number(args.get("duration") ?? 10)
const connections = Number(args.get("connections") ?? 50)
const threads = Number(args.get("threads") ?? 1)
const warmup = Number(args.get("warmup") ?? 3)
const users = Number(args.get("users") ?? 200)
const only = args.get("only")
const logLevel = args.get("log-level") ?? "warn"
const port = Number(args.get("port") ?? 18_765)
const base = `http://127.0.0.1:${port}`
const adminKey = "bench-admin-key-0123456789"

const nodeArgs = (args.get("node-args") ?? "").split(" ").filter((a) => a !== "")
const server = spawn(process.execPath, [...nodeArgs, fileURLToPath(new URL("../dist/main.js", import.meta.url))], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    ADMIN_KEY: adminKey,
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret-0123",
    LOG_LEVEL: logLevel,
  },
  stdio: ["ignore", "ignore", "inherit"],
})
const stop = () => server.kill("SIGTERM")
process.on("exit", stop)

const json = async (method, path, body, headers = {}) => {
  // a keep-alive socket the server closed while idle fails the first use: retry a GET once
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  }).catch((error) => {
    if (method !== "GET") throw error
    return fetch(`${base}${path}`, { method, headers })
  })
  const parsed = await response.json()
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(parsed.meta)}`)
  return parsed.data
}

for (let attempt = 0; ; attempt++) {
  try {
    if ((await fetch(`${base}/health`)).ok) break
  } catch {
    if (attempt > 200) throw new Error("server did not start")
  }
  await new Promise((resolve) => setTimeout(resolve, 100))
}

// A product with stock for every order of the run, and users with points for theirs.
const admin = { "x-admin-key": adminKey }
const brand = await json("POST", "/api/admin/v1/brands", { name: "Bench", description: "benchmark" }, admin)
const product = await json(
  "POST",
  "/api/admin/v1/products",
  { brandId: brand.id, name: "Bench item", description: "", price: 100, stock: 100_000_000, maxOrderQuantity: 10 },
  admin,
)
const tokens = []
for (let i = 0; i < users; i++) {
  const userId = `bench${i}`
  await json("POST", "/api/v1/users", {
    userId,
    email: `${userId}@bench.io`,
    gender: "MALE",
    birthDate: "1990-01-01",
    password: "bench-password",
  })
  const { accessToken } = await json("POST", "/api/v1/auth/login", { userId, password: "bench-password" })
  await json("POST", "/api/v1/points/charge", { reqPoint: 10_000_000 }, { authorization: `Bearer ${accessToken}` })
  tokens.push(accessToken)
}
// The ranking page shows 20 products: 19 more, each viewed once, so that the daily board holds
// them all (the views reach it through the event pipeline within the warm-up).
for (let i = 2; i <= 20; i++) {
  const other = await json(
    "POST",
    "/api/admin/v1/products",
    { brandId: brand.id, name: `Bench item ${i}`, description: "", price: 100 + i, stock: 1_000, maxOrderQuantity: 10 },
    admin,
  )
  await json("GET", `/api/v1/products/${other.id}`)
}
// warm the ranking board and the listing
await json("GET", `/api/v1/products/${product.id}`)

const orderBody = JSON.stringify({ items: [{ productId: product.id, quantity: 1 }] })
const tokenFile = join(tmpdir(), `bench-tokens-${process.pid}.txt`)
writeFileSync(tokenFile, `${tokens.join("\n")}\n`)
const scenarios = [
  { name: "product detail", title: `GET /api/v1/products/${product.id}`, path: `/api/v1/products/${product.id}` },
  { name: "product list", title: "GET /api/v1/products?size=20", path: "/api/v1/products?size=20" },
  {
    name: "ranking page",
    title: "GET /api/v1/rankings?size=20",
    path: "/api/v1/rankings?size=20",
    note: async () => `${(await json("GET", "/api/v1/rankings?size=20")).items.length} items per page`,
  },
  {
    name: "point order placement",
    title: "POST /api/v1/orders (POINT, 1 line)",
    path: "/api/v1/orders",
    env: { BENCH_METHOD: "POST", BENCH_BODY: orderBody, BENCH_TOKENS: tokenFile },
  },
]

const wrk = (scenario, seconds = duration) => {
  const script = fileURLToPath(new URL("./wrk.lua", import.meta.url))
  const run = spawnSync(
    "wrk",
    [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "-s", script, `${base}${scenario.path}`],
    { env: { ...process.env, ...scenario.env }, encoding: "utf8" },
  )
  if (run.error !== undefined) throw new Error(`wrk could not run (apt-get install wrk): ${run.error.message}`)
  const line = run.stdout.split("\n").find((l) => l.startsWith("{"))
  if (line === undefined) throw new Error(`wrk printed no summary:\n${run.stdout}${run.stderr}`)
  return JSON.parse(line)
}

// CPU seconds the server process has used (user + system), from /proc (Linux, 100 ticks/s).
// On a shared machine wall-clock req/s depends on the neighbours; requests per CPU second do not.
const serverCpuSeconds = () => {
  try {
    const fields = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

const results = []
for (const scenario of scenarios.filter((s) => only === undefined || s.name.startsWith(only))) {
  // the first seconds of a route run cold (JIT, lazily built caches): not what a server in service does
  if (warmup > 0) wrk(scenario, warmup)
  const cpuBefore = serverCpuSeconds()
  const result = wrk(scenario)
  const cpuSeconds = serverCpuSeconds() - cpuBefore
  const row = {
    scenario: scenario.name,
    request: scenario.title,
    "req/s": Math.round(result.requests / (result.duration_us / 1e6)),
    "p50 ms": result.p50_us / 1000,
    "p99 ms": result.p99_us / 1000,
    "server CPU us/req": Math.round((cpuSeconds * 1e6) / result.requests),
    "non-2xx": result.non2xx,
    errors: result.errors,
    ...(scenario.note === undefined ? {} : { note: await scenario.note() }),
  }
  results.push(row)
  console.log(JSON.stringify(row))
}
console.table(results)
stop()
