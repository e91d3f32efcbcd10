import { randomBytes } from "node:crypto"
import { SqlClient } from "@effect/sql/SqlClient"
import type { MysqlClient } from "@effect/sql-mysql2/MysqlClient"
import { Context, Effect, Either, Exit, Layer, Scope } from "effect"
import { afterAll, beforeAll, describe } from "vitest"
import { migrationsTable, mysqlClientLayer, parseMysqlUrl, runMigrations } from "../../src/index.js"

/**
 * Integration tests run against the MariaDB of SERVICES.md (or `MYSQL_TEST_URL`). Each test
 * file gets a database of its own (`commerce_test_<random>`), migrated once, emptied before
 * every test and dropped at the end. Under CI=true an unreachable server fails the run.
 */
const serverUrl = process.env.MYSQL_TEST_URL ?? "mysql://root@127.0.0.1:3306/test"
export const server = Either.getOrThrowWith(
  parseMysqlUrl(serverUrl, 2),
  (reason) => new Error(`MYSQL_TEST_URL ${reason}`),
)
const isCi = process.env.CI === "true"

const adminClient = mysqlClientLayer(server)

const probe = await Effect.runPromise(
  Effect.scoped(Layer.build(adminClient)).pipe(
    Effect.as(undefined),
    Effect.catchAll((error) => Effect.succeed(error.reason)),
  ),
)

if (probe !== undefined && isCi) {
  throw new Error(`MariaDB is required under CI=true but is unreachable at ${server.host}:${server.port}: ${probe}`)
}

export const mysqlUnavailableReason: string | undefined = probe

/** Runs `f` on a short-lived client of the server's default database (for CREATE/DROP/KILL). */
export const admin = <A, E>(f: (sql: SqlClient) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(Layer.build(adminClient), (ctx) => f(Context.get(ctx, SqlClient)))))

export interface TestDatabase {
  readonly name: string
  /** The migrated database's client, shared by every test of the file. */
  readonly client: () => Layer.Layer<SqlClient | MysqlClient>
  /** Empties every table (the outbox append guard row stays), then builds `adapters` on the shared client: one test's fresh store. */
  readonly fresh: <ROut, E>(adapters: Layer.Layer<ROut, E, SqlClient>) => Layer.Layer<ROut | SqlClient | MysqlClient, E>
}

/**
 * Registers the database's lifecycle on the enclosing suite (call at the top of a `describe`
 * body or of the file) and returns its handle; the handle is usable inside tests only.
 */
export const useTestDatabase = (options: { readonly poolSize?: number } = {}): TestDatabase => {
  const name = `commerce_test_${randomBytes(6).toString("hex")}`
  let context: Context.Context<SqlClient | MysqlClient> | undefined
  let scope: Scope.CloseableScope | undefined
  let emptyAll = ""

  beforeAll(async () => {
    await admin((sql) => sql`CREATE DATABASE ${sql(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.raw)
    scope = await Effect.runPromise(Scope.make())
    const layer = mysqlClientLayer({ ...server, database: name, poolSize: options.poolSize ?? 20 })
    context = await Effect.runPromise(Layer.buildWithScope(layer, scope))
    const sql = Context.get(context, SqlClient)
    await Effect.runPromise(runMigrations.pipe(Effect.provideService(SqlClient, sql)))
    const tables = await Effect.runPromise(
      sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ${name} AND TABLE_NAME NOT IN (${migrationsTable}, 'outbox_append_guard')`,
    )
    emptyAll = tables.map((t) => `DELETE FROM \`${t.name}\`;`).join(" ")
  })

  afterAll(async () => {
    if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
    await admin((sql) => sql`DROP DATABASE IF EXISTS ${sql(name)}`.raw)
  })

  const client = () => {
    if (!context) throw new Error("the test database is not ready: use it inside a test")
    return Layer.succeedContext(context)
  }

  return {
    name,
    client,
    fresh: (adapters) => {
      const empty = Layer.effectDiscard(
        Effect.flatMap(SqlClient, (sql) => (emptyAll === "" ? Effect.void : sql.unsafe(emptyAll).unprepared)).pipe(
          Effect.orDie,
        ),
      )
      return Layer.provideMerge(adapters, Layer.provideMerge(empty, client()))
    },
  }
}

/** `describe` that runs when MariaDB is reachable, and otherwise (outside CI only) skips saying why. */
export const describeMysql = (name: string, body: () => void) => {
  if (mysqlUnavailableReason !== undefined) {
    console.warn(`[adapters-mysql] skipping "${name}": MariaDB unreachable (${mysqlUnavailableReason})`)
  }
  describe.skipIf(mysqlUnavailableReason !== undefined)(name, body)
}
