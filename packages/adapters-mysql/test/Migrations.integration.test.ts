import { randomBytes } from "node:crypto"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { expect } from "vitest"
import { migrations, migrationsTable, mysqlClientLayer, runMigrations } from "../src/index.js"
import { admin, describeMysql, server } from "./support/MysqlTestDatabase.js"

const expectedTables = [
  "brand",
  "cart_line",
  "coupon_template",
  "event_handled",
  "idempotency_record",
  "issued_coupon",
  "order_id_seq",
  "order_line",
  "order_status_history",
  "orders",
  "outbox_append_guard",
  "outbox_event",
  "payment",
  "payment_refund_owed",
  "point_ledger",
  "point_wallet",
  "product",
  "product_like",
  "product_metrics_daily",
  "ranking_carry_over",
  "ranking_daily",
  "ranking_daily_board",
  "ranking_period",
  "users",
]

const withFreshDatabase = <A, E>(f: (name: string) => Effect.Effect<A, E>) => {
  const name = `commerce_test_migrate_${randomBytes(5).toString("hex")}`
  return Effect.acquireUseRelease(
    Effect.promise(() => admin((sql) => sql`CREATE DATABASE ${sql(name)}`.raw)),
    () => f(name),
    () => Effect.promise(() => admin((sql) => sql`DROP DATABASE IF EXISTS ${sql(name)}`.raw)),
  )
}

const migrateWithOwnClient = (database: string) =>
  runMigrations.pipe(Effect.provide(mysqlClientLayer({ ...server, database, poolSize: 2 })))

describeMysql("Migrations", () => {
  it.live("four processes migrating one empty database at once apply every migration exactly once", () =>
    withFreshDatabase((database) =>
      Effect.gen(function* () {
        const applied = yield* Effect.all(
          Array.from({ length: 4 }, () => migrateWithOwnClient(database)),
          { concurrency: "unbounded" },
        )
        const all = applied.flat().map(([id]) => id)
        expect(all.sort((a, b) => a - b)).toEqual(Object.keys(migrations).map((key) => Number(key.slice(0, 4))))
        expect(yield* migrateWithOwnClient(database)).toEqual([])
        const check = Effect.gen(function* () {
          const sql = yield* SqlClient
          const recorded = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql(migrationsTable)}`
          expect(Number(recorded[0]?.n)).toBe(Object.keys(migrations).length)
          const tables = yield* sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = ${database} AND TABLE_NAME <> ${migrationsTable} ORDER BY TABLE_NAME`
          expect(tables.map((t) => t.name).sort()).toEqual([...expectedTables].sort())
        })
        yield* check.pipe(Effect.provide(Layer.fresh(mysqlClientLayer({ ...server, database, poolSize: 1 }))))
      }),
    ),
  )

  it.live("a migration recorded as applied but cut short by a crash is completed on the next start", () =>
    withFreshDatabase((database) =>
      Effect.gen(function* () {
        yield* migrateWithOwnClient(database)
        const client = Layer.fresh(mysqlClientLayer({ ...server, database, poolSize: 2 }))
        const tables = Effect.flatMap(
          SqlClient,
          (sql) =>
            sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES
            WHERE TABLE_SCHEMA = ${database} AND TABLE_NAME IN ('payment', 'order_line')`,
        ).pipe(Effect.map((rows) => rows.map((r) => r.name).sort()))
        // What a crash between two CREATE TABLEs of 0004 leaves: the migration recorded, tables missing.
        yield* Effect.flatMap(SqlClient, (sql) => sql`DROP TABLE payment, order_line`).pipe(Effect.provide(client))
        expect(yield* tables.pipe(Effect.provide(client))).toEqual([])
        expect(yield* migrateWithOwnClient(database)).toEqual([])
        expect(yield* tables.pipe(Effect.provide(client))).toEqual(["order_line", "payment"])
      }),
    ),
  )
})
