// Not a test: the cost of one primary-key SELECT through raw mysql2 and through
// @effect/sql-mysql2 (the client every MySQL adapter uses), same pool size, same concurrency,
// in one process, to show how much of an adapter's time is the client stack rather than SQL.
//   node packages/adapters-mysql/bench/driver-overhead.mjs
// Env: MYSQL_TEST_URL (server; default mysql://root@127.0.0.1:3306/test; a scratch table is
// created and dropped), QUERIES (default 20000), CONCURRENCY (64), POOL (20).
import { SqlClient } from "@effect/sql/SqlClient"
import * as MysqlClient from "@effect/sql-mysql2/MysqlClient"
import { Effect } from "effect"
import mysql from "mysql2"

const url = new URL(process.env.MYSQL_TEST_URL ?? "mysql://root@127.0.0.1:3306/test")
const queries = Number(process.env.QUERIES ?? 20_000)
const concurrency = Number(process.env.CONCURRENCY ?? 64)
const poolSize = Number(process.env.POOL ?? 20)
const connection = {
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username || "root"),
  password: url.password === "" ? undefined : decodeURIComponent(url.password),
  database: url.pathname.slice(1),
}
const table = `bench_driver_${process.pid}`

const measure = async (label, runOne) => {
  let next = 0
  const cpu = process.cpuUsage()
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < queries) await runOne((next++ % 50) + 1)
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  const row = {
    client: label,
    "queries/s": Math.round(queries / seconds),
    "client CPU us/query": Math.round((used.user + used.system) / queries),
  }
  console.log(JSON.stringify(row))
  return row
}

const pool = mysql.createPool({ ...connection, connectionLimit: poolSize, supportBigNumbers: true })
const raw = (sql, values) =>
  new Promise((resolve, reject) => pool.execute({ sql, values }, (e, rows) => (e ? reject(e) : resolve(rows))))
await raw(`CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL)`)
await raw(
  `INSERT INTO ${table} VALUES ${Array.from({ length: 50 }, (_, i) => `(${i + 1}, 'product ${i + 1}')`).join(",")}`,
)

const rows = []
try {
  const select = `SELECT id, name FROM ${table} WHERE id = ?`
  for (let round = 0; round < 2; round++)
    rows.push(await measure("mysql2 (callback execute)", (id) => raw(select, [id])))
  const effectClient = MysqlClient.layer({ ...connection, username: connection.user, maxConnections: poolSize })
  await Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const sql = yield* SqlClient
        for (let round = 0; round < 2; round++) {
          rows.push(
            yield* Effect.promise(() =>
              measure("@effect/sql-mysql2", (id) =>
                Effect.runPromise(sql`SELECT id, name FROM ${sql(table)} WHERE id = ${id}`),
              ),
            ),
          )
        }
      }),
    ).pipe(Effect.provide(effectClient)),
  )
} finally {
  await raw(`DROP TABLE ${table}`)
  pool.end()
}
console.table(rows)
