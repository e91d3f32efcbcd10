// Benchmark (not a test) of the first-come coupon issue through HTTP on MySQL (MariaDB) + Redis:
// N distinct users ask once each for a template of C coupons, all at once; exactly C must be issued.
// Starts the built server on a fresh database (created here, dropped afterwards unless --keep)
// and a fresh Redis key prefix, creates the template and the users through the API, warms the
// server up on a separate template, then fires the measured requests with `connections` in flight
// over keep-alive sockets and prints req/s, latency percentiles, the answers and the checks.
//   npm run build
//   MYSQL_URL=mysql://root@127.0.0.1:3306 REDIS_URL=redis://127.0.0.1:6379 node packages/http/bench/coupon-issue.mjs \
//     [--users 10000] [--coupons 1000] [--connections 128] [--warmup 2000] [--auth gateway|token] [--keep]
//     [--node-args "--cpu-prof --cpu-prof-dir=/tmp/prof"] [--port N] [--log-level warn] [--server-log file]
// MYSQL_URL names the server (its database part, if any, is replaced by the fresh one). With
// --auth gateway (default) users sign up without a password and requests carry X-USER-ID; with
// --auth token each user signs up with a password and logs in (scrypt: slow to prepare).
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { openSync, readFileSync } from "node:fs"
import http from "node:http"
import net from "node:net"
import { fileURLToPath } from "node:url"
import { Redis } from "ioredis"
import mysql from "mysql2/promise"

const flags = new Set(["keep"])
const args = new Map()
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, "")
  args.set(name, flags.has(name) ? "true" : process.argv[++i])
}
const users = Number(args.get("users") ?? 10_000)
const coupons = Number(args.get("coupons") ?? 1_000)
const connections = Number(args.get("connections") ?? 128)
const warmup = Math.min(Number(args.get("warmup") ?? 2_000), users)
const authMode = args.get("auth") ?? "gateway"
const keep = args.get("keep") === "true"
/** A port nobody listens on now (the OS picks it), so that runs beside other servers never collide. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
const port = Number(args.get("port") ?? (await freePort()))
const logLevel = args.get("log-level") ?? "warn"
// the server's stdout (its JSON log) goes to this file when given, else nowhere
const serverLog = args.get("server-log")
if (!["gateway", "token"].includes(authMode)) throw new Error(`--auth must be gateway or token, got ${authMode}`)
if (!process.env.MYSQL_URL || !process.env.REDIS_URL) {
  throw new Error("set MYSQL_URL (e.g. mysql://root@127.0.0.1:3306) and REDIS_URL (e.g. redis://127.0.0.1:6379)")
}

const runId = randomBytes(4).toString("hex")
const database = `coupon_bench_${runId}`
const keyPrefix = `coupon_bench:${runId}:`
const adminKey = "bench-admin-key-0123456789"
const mysqlUrl = new URL(process.env.MYSQL_URL)
const serverMysqlUrl = `${mysqlUrl.protocol}//${mysqlUrl.username ? `${mysqlUrl.username}${mysqlUrl.password ? `:${mysqlUrl.password}` : ""}@` : ""}${mysqlUrl.host}/${database}`
const mysqlAdmin = () =>
  mysql.createConnection({
    host: mysqlUrl.hostname,
    port: Number(mysqlUrl.port || 3306),
    user: decodeURIComponent(mysqlUrl.username || "root"),
    password: decodeURIComponent(mysqlUrl.password),
  })

const log = (message) => console.error(`[coupon-issue] ${message}`)

// --- engines and server -------------------------------------------------------------------------

const admin = await mysqlAdmin()
await admin.query(`CREATE DATABASE \`${database}\``)
const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true })
await redis.connect()

const nodeArgs = (args.get("node-args") ?? "").split(" ").filter((a) => a !== "")
const server = spawn(process.execPath, [...nodeArgs, fileURLToPath(new URL("../dist/main.js", import.meta.url))], {
  env: {
    ...process.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    ADMIN_KEY: adminKey,
    AUTH_MODE: authMode,
    AUTH_SECRET: "bench-secret-bench-secret-bench-secret-0123",
    LOG_LEVEL: logLevel,
    SEED_DEMO_DATA: "false",
    MYSQL_URL: serverMysqlUrl,
    REDIS_URL: process.env.REDIS_URL,
    REDIS_KEY_PREFIX: keyPrefix,
  },
  stdio: ["ignore", serverLog === undefined ? "ignore" : openSync(serverLog, "w"), "inherit"],
})
let serverExited = false
server.on("exit", () => {
  serverExited = true
})

const cleanup = async () => {
  if (!serverExited) {
    server.kill("SIGTERM")
    await new Promise((resolve) => server.once("exit", resolve))
  }
  if (!keep) {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``)
    for await (const keys of redis.scanStream({ match: `${keyPrefix}*`, count: 1_000 })) {
      if (keys.length > 0) await redis.unlink(...keys)
    }
  } else log(`kept database ${database} and Redis keys ${keyPrefix}*`)
  await admin.end()
  redis.disconnect()
}

// --- HTTP client: keep-alive sockets, at most `connections` of them ------------------------------

let resets = 0
const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections })

/**
 * One request; resolves with status, parsed body and latency in ms (never rejects on HTTP
 * errors). A reset on a reused keep-alive socket (the server closed it as the request went
 * out, before reading it) is retried once on a new socket, as Node's documentation advises.
 */
const call = (method, path, body, headers = {}, retried = false) =>
  new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const started = performance.now()
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent,
        headers: {
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (response) => {
        const chunks = []
        response.on("data", (chunk) => chunks.push(chunk))
        response.on("end", () => {
          const ms = performance.now() - started
          const text = Buffer.concat(chunks).toString("utf8")
          let parsed
          try {
            parsed = text === "" ? undefined : JSON.parse(text)
          } catch {
            parsed = { raw: text }
          }
          resolve({ status: response.statusCode, body: parsed, ms })
        })
        response.on("error", reject)
      },
    )
    request.on("error", (error) => {
      if (!retried && request.reusedSocket && error.code === "ECONNRESET") {
        resets++
        resolve(call(method, path, body, headers, true))
      } else reject(error)
    })
    if (payload !== undefined) request.write(payload)
    request.end()
  })

const json = async (method, path, body, headers) => {
  const { status, body: parsed } = await call(method, path, body, headers)
  if (status < 200 || status > 299)
    throw new Error(`${method} ${path}: ${status} ${JSON.stringify(parsed?.meta ?? parsed)}`)
  return parsed.data
}

/** Runs task(i) for i in [0, n) with `width` in flight; returns the results in order. */
const pool = async (n, width, task) => {
  const results = new Array(n)
  let next = 0
  const worker = async () => {
    for (let i = next++; i < n; i = next++) results[i] = await task(i)
  }
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker))
  return results
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

// CPU seconds the server process has used (user + system), from /proc (Linux, 100 ticks/s).
const serverCpuSeconds = () => {
  try {
    const fields = readFileSync(`/proc/${server.pid}/stat`, "utf8").split(") ")[1].split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

// --- the run --------------------------------------------------------------------------------------

let failed = false
try {
  for (let attempt = 0; ; attempt++) {
    if (serverExited) throw new Error("the server exited during start-up (see its output above)")
    try {
      const ready = await call("GET", "/ready")
      if (ready.status === 200) break
    } catch {
      // not listening yet
    }
    if (attempt > 600) throw new Error("the server did not become ready within 60 s")
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  log(`server ready on a fresh database ${database}, Redis prefix ${keyPrefix}`)

  const adminHeaders = { "x-admin-key": adminKey }
  const now = Date.now()
  const template = (name, totalQuantity) =>
    json(
      "POST",
      "/api/admin/v1/coupons",
      {
        name,
        type: "FIXED",
        value: 1_000,
        totalQuantity,
        issueStartsAt: new Date(now - 60_000).toISOString(),
        issueEndsAt: new Date(now + 3_600_000).toISOString(),
        validDays: 7,
      },
      adminHeaders,
    )
  const measured = await template("Bench first-come 1,000 KRW", coupons)
  const warm = warmup > 0 ? await template("Bench warm-up", Math.max(1, Math.floor(warmup / 10))) : undefined

  const started = performance.now()
  const credentials = await pool(users, Math.min(connections, 64), async (i) => {
    const userId = `b${i}`
    await json("POST", "/api/v1/users", {
      userId,
      email: `${userId}@bench.io`,
      gender: i % 2 === 0 ? "MALE" : "FEMALE",
      birthDate: "1990-01-01",
      ...(authMode === "token" ? { password: "bench-password-1" } : {}),
    })
    if (authMode === "gateway") return { "x-user-id": userId }
    const { accessToken } = await json("POST", "/api/v1/auth/login", { userId, password: "bench-password-1" })
    return { authorization: `Bearer ${accessToken}` }
  })
  log(`${users} users signed up in ${((performance.now() - started) / 1000).toFixed(1)} s (${authMode} auth)`)

  const issueAll = (templateId, count) =>
    pool(count, connections, (i) => call("POST", `/api/v1/coupons/${templateId}/issue`, undefined, credentials[i]))

  if (warm !== undefined) {
    await issueAll(warm.id, warmup)
    log(`warm-up: ${warmup} issue requests for ${warm.totalQuantity} coupons of template ${warm.id}`)
  }

  const cpuBefore = serverCpuSeconds()
  const t0 = performance.now()
  const answers = await issueAll(measured.id, users)
  const seconds = (performance.now() - t0) / 1000
  const cpuSeconds = serverCpuSeconds() - cpuBefore

  const latencies = answers.map((a) => a.ms).sort((a, b) => a - b)
  const outcomes = {}
  for (const a of answers) {
    const key = a.status === 201 ? "201" : `${a.status} ${a.body?.meta?.errorCode ?? "?"}`
    outcomes[key] = (outcomes[key] ?? 0) + 1
  }
  const issued201 = outcomes["201"] ?? 0

  const [[row]] = await admin.query(
    `SELECT COUNT(*) AS issued, COUNT(DISTINCT user_id) AS holders FROM \`${database}\`.issued_coupon WHERE template_id = ?`,
    [measured.id],
  )
  const gateHolders = await redis.scard(`${keyPrefix}coupon:${measured.id}:holders`)
  const issuedIds = new Set(answers.filter((a) => a.status === 201).map((a) => a.body.data.id))

  const result = {
    scenario: `POST /api/v1/coupons/{id}/issue: ${users} distinct users, ${coupons} coupons`,
    engines: "MySQL (MariaDB) + Redis",
    auth: authMode,
    connections,
    "req/s": Math.round(users / seconds),
    "p50 ms": Number(percentile(latencies, 50).toFixed(2)),
    "p90 ms": Number(percentile(latencies, 90).toFixed(2)),
    "p99 ms": Number(percentile(latencies, 99).toFixed(2)),
    "max ms": Number(latencies.at(-1).toFixed(2)),
    "server CPU us/req": Math.round((cpuSeconds * 1e6) / users),
    "stale-socket retries (whole run)": resets,
    outcomes,
  }
  const checks = {
    "201 answers": issued201,
    "distinct issued coupon ids": issuedIds.size,
    "issued_coupon rows": Number(row.issued),
    "issued_coupon distinct users": Number(row.holders),
    "Redis gate holders": gateHolders,
    expected: coupons,
  }
  console.log(JSON.stringify(result))
  console.log(JSON.stringify(checks))
  const unexpected = Object.keys(outcomes).filter((k) => k !== "201" && k !== "409 COUPON_SOLD_OUT")
  failed =
    issued201 !== coupons ||
    issuedIds.size !== coupons ||
    Number(row.issued) !== coupons ||
    Number(row.holders) !== coupons ||
    gateHolders !== coupons ||
    unexpected.length > 0
  if (failed) log(`CHECK FAILED: expected exactly ${coupons} issued and only 409 COUPON_SOLD_OUT otherwise`)
  else log(`exactly ${coupons} issued; the other ${users - coupons} answered 409 COUPON_SOLD_OUT`)
} catch (error) {
  failed = true
  log(error instanceof Error ? (error.stack ?? error.message) : String(error))
} finally {
  agent.destroy()
  await cleanup()
}
process.exit(failed ? 1 : 0)
