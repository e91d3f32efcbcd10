// What this machine does with the bare drivers, no Commerce Core code at all: the ceilings the
// targets of run.mjs and HotProductBench are to be read against (not a test). Each HTTP
// scenario serves the same shape of answer as the real route from a child process, driven by
// wrk exactly as run.mjs drives the server; the order scenario is run.mjs's hot product.
//   MYSQL_URL=mysql://root@127.0.0.1:3306 REDIS_URL=redis://127.0.0.1:6379 node packages/http/bench/ceilings.mjs [--duration 6] [--connections 64] [--only "<scenario>"]
// A scenario whose engine has no URL in the environment is left out. MySQL scenarios use a
// scratch database, `commerce_ceiling`, dropped at the end.
import { spawn, spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import http from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const args = new Map()
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1])
const duration = Number(args.get("duration") ?? 6)
const connections = Number(args.get("connections") ?? 64)
const only = args.get("only")
const port = Number(args.get("port") ?? 18_790)
const mysqlUrl = process.env.MYSQL_URL
const redisUrl = process.env.REDIS_URL
const DATABASE = "commerce_ceiling"
const ORDERS = Number(process.env.ORDERS ?? 5_000)
const LOGINS = Array.from({ length: 10_000 }, (_, i) => `user${i}`)

const mysqlConfig = (database) => {
  const url = new URL(mysqlUrl)
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    multipleStatements: true,
  }
}

const PRODUCT = { id: 1, brandId: 1, name: "Bench item", description: "benchmark", price: 100, stock: 100_000_000 }

/** The servers, one per HTTP scenario: each answers every request like the real route would. */
const servers = {
  "node, no I/O": async () => (_req, res) => reply(res, PRODUCT),
  "hono, no I/O": async () => {
    const { Hono } = await import("hono")
    const app = new Hono()
    app.get("/api/v1/products/:id", (c) => c.json({ data: { ...PRODUCT, id: Number(c.req.param("id")) } }))
    return app
  },
  "mysql2, 1 query per request": async () => mysqlServer(false),
  "mysql2, 2 queries per request": async () => mysqlServer(true),
  "ioredis, 1 lookup per request": async () => redisServer(1),
  "ioredis, 3 lookups per request": async () => redisServer(3),
  "ioredis, ranking page of 20": async () => rankingServer(),
  "mysql2 + ioredis, coupon issue turned away": async () => couponServer(),
}

/** The product with its brand's name (one join), and with `withRank` then its rank: a detail on MySQL. */
const mysqlServer = async (withRank) => {
  const pool = (await import("mysql2")).default.createPool({ ...mysqlConfig(DATABASE), connectionLimit: 32 })
  const detail = "SELECT p.*, b.name AS brand_name FROM product p JOIN brand b ON b.id = p.brand_id WHERE p.id = ?"
  return (_req, res) =>
    pool.execute(detail, [1], (e, rows) => {
      if (e) return fail(res, e)
      if (!withRank) return reply(res, rows[0])
      pool.execute("SELECT points FROM ranking WHERE product_id = ?", [1], (e2, rank) =>
        e2 ? fail(res, e2) : reply(res, { ...rows[0], rank: rank[0]?.points ?? null }),
      )
    })
}

/** Product, then brand, then rank, as the cached detail reads them (the lookups are scripts, like the cache's). */
const redisServer = async (lookups) => {
  const { Redis } = await import("ioredis")
  const redis = new Redis(redisUrl, { enableAutoPipelining: true })
  const lookup =
    "local g = redis.call('GET', KEYS[1]) if not g then return false end return redis.call('GET', ARGV[1] .. ':' .. g)"
  await redis.set("ceiling:{p}:gen", "1")
  await redis.set("ceiling:{p}:1", JSON.stringify(PRODUCT))
  await redis.set("ceiling:{b}:gen", "1")
  await redis.set("ceiling:{b}:1", JSON.stringify({ id: 1, name: "Bench", active: true }))
  await redis.zadd("ceiling:rank", 10, "1")
  return async (_req, res) => {
    const product = JSON.parse(await redis.eval(lookup, 1, "ceiling:{p}:gen", "ceiling:{p}"))
    if (lookups === 1) return reply(res, product)
    const brand = JSON.parse(await redis.eval(lookup, 1, "ceiling:{b}:gen", "ceiling:{b}"))
    const rank = await redis.zrevrank("ceiling:rank", "1")
    reply(res, { ...product, brandName: brand.name, rank })
  }
}

/** The top 20 of a board with their scores, the 20 products in one script and their brand: what the ranking route reads. */
const rankingServer = async () => {
  const { Redis } = await import("ioredis")
  const redis = new Redis(redisUrl, { enableAutoPipelining: true })
  const top = "return {redis.call('ZCARD', KEYS[1]), redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')}"
  const many =
    "local out = {} for i = 1, #KEYS do local g = redis.call('GET', KEYS[i]) out[i] = g and redis.call('GET', ARGV[i] .. ':' .. g) or false end return out"
  for (let id = 1; id <= 20; id++) {
    await redis.set(`ceiling:{p${id}}:gen`, "1")
    await redis.set(`ceiling:{p${id}}:1`, JSON.stringify({ ...PRODUCT, id, name: `Bench item ${id}` }))
    await redis.zadd("ceiling:board", -id, String(id))
  }
  await redis.set("ceiling:{b}:gen", "1")
  await redis.set("ceiling:{b}:1", JSON.stringify({ id: 1, name: "Bench", active: true }))
  const lookup =
    "local g = redis.call('GET', KEYS[1]) if not g then return false end return redis.call('GET', ARGV[1] .. ':' .. g)"
  return async (_req, res) => {
    const [total, flat] = await redis.eval(top, 1, "ceiling:board", 0, 19)
    const ids = []
    for (let i = 0; i < flat.length; i += 2) ids.push(flat[i])
    const rows = await redis.eval(
      many,
      ids.length,
      ...ids.map((id) => `ceiling:{p${id}}:gen`),
      ...ids.map((id) => `ceiling:{p${id}}`),
    )
    const brand = JSON.parse(await redis.eval(lookup, 1, "ceiling:{b}:gen", "ceiling:{b}"))
    const items = rows.map((row, i) => {
      const p = JSON.parse(row)
      return { rank: i + 1, score: -Number(flat[2 * i + 1]) / 1000, product: { ...p, brandName: brand.name } }
    })
    reply(res, { items, page: 0, size: 20, totalElements: total, totalPages: 1, hasNext: false })
  }
}

/**
 * A coupon request the gate turns away: the caller's user by login id (`Authorization: Bearer
 * <login id>`, rotating over 10,000 users as the coupon bench's distinct users do), then one gate
 * script, then a 409: what most of the coupon bench's requests cost.
 */
const couponServer = async () => {
  const { Redis } = await import("ioredis")
  const redis = new Redis(redisUrl, { enableAutoPipelining: true })
  const pool = (await import("mysql2")).default.createPool({ ...mysqlConfig(DATABASE), connectionLimit: 32 })
  const gate =
    "if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 'DUPLICATE' end if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 'SOLD_OUT' end redis.call('SADD', KEYS[1], ARGV[1]) return 'ADMITTED'"
  await redis.del("ceiling:holders")
  await redis.sadd("ceiling:holders", "0")
  return (req, res) => {
    const login = (req.headers.authorization ?? "").slice(7)
    pool.execute("SELECT id FROM users WHERE login_id = ?", [login], (e, rows) => {
      if (e || rows.length === 0) return fail(res, e ?? "no such user")
      redis.eval(gate, 1, "ceiling:holders", String(rows[0].id), 1).then(
        (verdict) => {
          res.writeHead(409, { "content-type": "application/json" })
          res.end(
            JSON.stringify({
              meta: { result: "FAIL", errorCode: `COUPON_${verdict}`, message: "sold out" },
              data: null,
            }),
          )
        },
        (error) => fail(res, error),
      )
    })
  }
}

const reply = (res, data) => {
  res.writeHead(200, { "content-type": "application/json" })
  res.end(JSON.stringify({ meta: { result: "SUCCESS", errorCode: null, message: null }, data }))
}
const fail = (res, error) => {
  res.writeHead(500)
  res.end(String(error))
}

if (args.has("serve")) {
  const handler = await servers[args.get("serve")]()
  if (typeof handler === "function") http.createServer(handler).listen(port, "127.0.0.1")
  else (await import("@hono/node-server")).serve({ fetch: handler.fetch, port, hostname: "127.0.0.1" })
} else {
  await main()
}

async function main() {
  const rows = []
  const wanted = (name) => only === undefined || name.startsWith(only)
  if (mysqlUrl !== undefined) await prepareMysql()
  for (const name of Object.keys(servers).filter(wanted)) {
    if (name.includes("mysql2") && mysqlUrl === undefined) continue
    if (name.includes("ioredis") && redisUrl === undefined) continue
    rows.push(await httpScenario(name))
  }
  if (mysqlUrl !== undefined && wanted("mysql2, point order")) rows.push(await hotProductOrders())
  console.table(rows)
  if (mysqlUrl !== undefined) await dropMysql()
}

async function httpScenario(name) {
  const server = spawn(process.execPath, [fileURLToPath(import.meta.url), "--serve", name, "--port", String(port)], {
    env: process.env,
    stdio: ["ignore", "ignore", "inherit"],
  })
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await fetch(`http://127.0.0.1:${port}/api/v1/products/1`)
        break
      } catch {
        if (attempt > 100) throw new Error(`${name}: the server did not start`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const env = name.includes("coupon") ? { BENCH_TOKENS: loginFile() } : {}
    wrk(3, env) // warm-up, as run.mjs does
    const result = wrk(duration, env)
    const row = {
      scenario: name,
      "req/s": Math.round(result.requests / (result.duration_us / 1e6)),
      "p50 ms": result.p50_us / 1000,
      "p99 ms": result.p99_us / 1000,
      "non-2xx": result.non2xx,
    }
    console.log(JSON.stringify(row))
    return row
  } finally {
    server.kill("SIGTERM")
  }
}

/** The 10,000 login ids, one a line: wrk.lua sends them in turn as bearer tokens. */
function loginFile() {
  const file = join(tmpdir(), `ceiling-logins-${process.pid}.txt`)
  writeFileSync(file, `${LOGINS.join("\n")}\n`)
  return file
}

function wrk(seconds, env = {}) {
  const script = fileURLToPath(new URL("./wrk.lua", import.meta.url))
  const run = spawnSync(
    "wrk",
    ["-t1", `-c${connections}`, `-d${seconds}s`, "-s", script, `http://127.0.0.1:${port}/api/v1/products/1`],
    { encoding: "utf8", env: { ...process.env, ...env } },
  )
  if (run.error !== undefined) throw new Error(`wrk could not run (apt-get install wrk): ${run.error.message}`)
  return JSON.parse(run.stdout.split("\n").find((l) => l.startsWith("{")))
}

async function prepareMysql() {
  const mysql = (await import("mysql2/promise")).default
  const admin = await mysql.createConnection(mysqlConfig(undefined))
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}; CREATE DATABASE ${DATABASE}; USE ${DATABASE};
    CREATE TABLE brand (id BIGINT PRIMARY KEY, name VARCHAR(100), active BOOLEAN);
    CREATE TABLE product (id BIGINT PRIMARY KEY, brand_id BIGINT, name VARCHAR(200), description TEXT, price BIGINT, stock BIGINT);
    CREATE TABLE ranking (product_id BIGINT PRIMARY KEY, points BIGINT);
    CREATE TABLE wallet (user_id BIGINT PRIMARY KEY, balance BIGINT);
    CREATE TABLE ledger (id BIGINT AUTO_INCREMENT PRIMARY KEY, user_id BIGINT, amount BIGINT, balance_after BIGINT, order_id BIGINT, created_at DATETIME(3));
    CREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT, amount BIGINT, status VARCHAR(20), created_at DATETIME(3));
    CREATE TABLE order_line (order_id BIGINT, line_no INT, product_id BIGINT, quantity INT, PRIMARY KEY (order_id, line_no));
    CREATE TABLE payment (order_id BIGINT PRIMARY KEY, amount BIGINT, status VARCHAR(20));
    CREATE TABLE outbox (sequence BIGINT AUTO_INCREMENT PRIMARY KEY, event_id CHAR(36), event_type VARCHAR(40), payload TEXT, occurred_at DATETIME(3));
    INSERT INTO brand VALUES (1, 'Bench', TRUE);
    INSERT INTO product VALUES (1, 1, 'Bench item', 'benchmark', 100, ${ORDERS});
    INSERT INTO ranking VALUES (1, 10);
    CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, login_id VARCHAR(10) NOT NULL UNIQUE);`)
  await admin.query(`INSERT INTO users (login_id) VALUES ${LOGINS.map((l) => `('${l}')`).join(",")}`)
  await admin.query(
    `INSERT INTO wallet VALUES ${Array.from({ length: 64 }, (_, i) => `(${i + 1}, 100000000)`).join(",")}`,
  )
  await admin.end()
}

async function dropMysql() {
  const mysql = (await import("mysql2/promise")).default
  const admin = await mysql.createConnection(mysqlConfig(undefined))
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`)
  await admin.end()
}

/**
 * A point order's four round trips on one hot product (read the lines' products; debit the wallet
 * and read it back; the order's rows, the stock decrement and its read-back; the events and the
 * commit), from `connections` callers on a pool of 32, in this process: the work HotProductBench
 * and run.mjs's order scenario make the database do, without HTTP, Effect or the domain.
 */
async function hotProductOrders() {
  const mysql = (await import("mysql2/promise")).default
  const pool = mysql.createPool({ ...mysqlConfig(DATABASE), connectionLimit: 32 })
  const latencies = []
  let next = 1
  let soldOut = 0
  const order = async (id) => {
    const started = performance.now()
    const user = (id % 64) + 1
    const c = await pool.getConnection()
    try {
      await c.query("BEGIN; SELECT id, name, price, stock FROM product WHERE id IN (1)")
      await c.query(
        "UPDATE wallet SET balance = balance - 100 WHERE user_id = ? AND balance >= 100; SELECT ROW_COUNT() AS matched, balance FROM wallet WHERE user_id = ? LOCK IN SHARE MODE",
        [user, user],
      )
      const [stock] = await c.query(
        "INSERT INTO ledger (user_id, amount, balance_after, order_id, created_at) VALUES (?, 100, 0, ?, NOW(3)); INSERT INTO orders VALUES (?, ?, 100, 'PAID', NOW(3)); INSERT INTO payment VALUES (?, 100, 'SUCCESS'); INSERT INTO order_line VALUES (?, 1, 1, 1); UPDATE product SET stock = stock - 1 WHERE id = 1 AND stock >= 1; SELECT ROW_COUNT() AS matched, stock FROM product WHERE id = 1 LOCK IN SHARE MODE",
        [user, id, id, user, id, id],
      )
      if (stock[5][0].matched !== 1) {
        soldOut++
        await c.query("ROLLBACK")
        return
      }
      const payload = JSON.stringify({
        orderId: id,
        userId: user,
        lines: [{ productId: 1, quantity: 1, unitPrice: 100 }],
      })
      await c.query(
        "INSERT INTO outbox (event_id, event_type, payload, occurred_at) VALUES (UUID(), 'OrderPlaced', ?, NOW(3)), (UUID(), 'StockDecreased', ?, NOW(3)), (UUID(), 'PointsUsed', ?, NOW(3)), (UUID(), 'OrderPaid', ?, NOW(3)); COMMIT",
        [payload, payload, payload, payload],
      )
      latencies.push(performance.now() - started)
    } finally {
      c.release()
    }
  }
  const started = performance.now()
  const cpu = process.cpuUsage()
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next <= ORDERS + 200) await order(next++)
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  const [[{ stock }]] = await pool.query("SELECT stock FROM product WHERE id = 1")
  await pool.end()
  latencies.sort((a, b) => a - b)
  const at = (q) => Number(latencies[Math.floor(q * (latencies.length - 1))].toFixed(1))
  const row = {
    scenario: "mysql2, point order (4 round trips, one hot product)",
    "req/s": Math.round(latencies.length / seconds),
    "p50 ms": at(0.5),
    "p99 ms": at(0.99),
    "non-2xx": "-",
    note: `${latencies.length} orders of stock ${ORDERS}, ${soldOut} sold out, stock left ${stock}, ${Math.round((used.user + used.system) / latencies.length)} us client CPU/order`,
  }
  console.log(JSON.stringify(row))
  return row
}
