import { randomBytes } from "node:crypto"
import { PasswordHasherScryptWith } from "@commerce-core/adapters-memory"
import { mysqlClientLayer, parseMysqlUrl } from "@commerce-core/adapters-mysql"
import { acquireRedis } from "@commerce-core/adapters-redis"
import { SqlClient } from "@effect/sql/SqlClient"
import { Context, Duration, Effect, Either, Layer } from "effect"
import { afterAll, beforeAll, describe } from "vitest"
import { type Environment, type StartOptions, type StartResult, startEmbedded } from "../../src/server/StartEmbedded.js"
import { makeActors } from "./ApiServer.js"
import { makeClient } from "./Http.js"

/**
 * End-to-end tests on the real engines of SERVICES.md (or MYSQL_TEST_URL / REDIS_TEST_URL),
 * started exactly as `npm start` starts them (startEmbedded with an environment). Every file
 * gets a database `commerce_test_<random>` and a Redis key prefix of its own, both removed at
 * the end. Under CI=true an unreachable engine fails the file; elsewhere it is skipped, loudly.
 */
const mysqlServerUrl = process.env.MYSQL_TEST_URL ?? "mysql://root@127.0.0.1:3306/test"
export const redisTestUrl = process.env.REDIS_TEST_URL ?? "redis://127.0.0.1:6379"
const isCi = process.env.CI === "true"

const mysqlServer = Either.getOrThrowWith(
  parseMysqlUrl(mysqlServerUrl, 2),
  (reason) => new Error(`MYSQL_TEST_URL ${reason}`),
)
const adminClient = mysqlClientLayer(mysqlServer)
const admin = <A, E>(f: (sql: SqlClient) => Effect.Effect<A, E>) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(Layer.build(adminClient), (ctx) => f(Context.get(ctx, SqlClient)))))

const mysqlProbe = await Effect.runPromise(
  Effect.scoped(Layer.build(adminClient)).pipe(
    Effect.as(undefined),
    Effect.catchAll((error) => Effect.succeed(error.reason)),
  ),
)
const redisProbe = await Effect.runPromise(
  Effect.scoped(acquireRedis({ url: redisTestUrl })).pipe(
    Effect.as(undefined),
    Effect.catchAll((error) => Effect.succeed(error.reason)),
  ),
)
if (isCi && mysqlProbe !== undefined) {
  throw new Error(`MariaDB is required under CI=true but is unreachable (${mysqlServerUrl}): ${mysqlProbe}`)
}
if (isCi && redisProbe !== undefined) {
  throw new Error(`Redis is required under CI=true but is unreachable (${redisTestUrl}): ${redisProbe}`)
}

/** `describe` that runs when the engines answer; outside CI an unreachable one skips it, saying why. */
export const describeEngines = (name: string, engines: { readonly redis: boolean }, body: () => void) => {
  const reason = mysqlProbe ?? (engines.redis ? redisProbe : undefined)
  if (reason !== undefined) console.warn(`[http] skipping "${name}": an engine is unreachable (${reason})`)
  describe.skipIf(reason !== undefined)(name, body)
}

export interface EngineTarget {
  readonly database: string
  readonly mysqlUrl: string
  readonly redisPrefix: string
}

/** A database (and Redis prefix) of the enclosing file's own, created before and dropped after it. */
export const useEngineTarget = (): EngineTarget => {
  const id = randomBytes(6).toString("hex")
  const database = `commerce_test_${id}`
  const redisPrefix = `commerce_test:${id}:`
  const url = new URL(mysqlServerUrl)
  url.pathname = `/${database}`
  beforeAll(async () => {
    await admin((sql) => sql`CREATE DATABASE ${sql(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.raw)
  })
  afterAll(async () => {
    await admin((sql) => sql`DROP DATABASE IF EXISTS ${sql(database)}`.raw)
    if (redisProbe === undefined) {
      await Effect.runPromise(
        Effect.scoped(
          Effect.flatMap(acquireRedis({ url: redisTestUrl }), (client) =>
            Effect.promise(async () => {
              const stream = client.scanStream({ match: `${redisPrefix}*`, count: 1_000 })
              for await (const keys of stream as AsyncIterable<Array<string>>) {
                if (keys.length > 0) await client.unlink(...keys)
              }
            }),
          ),
        ),
      )
    }
  })
  return { database, mysqlUrl: url.toString(), redisPrefix }
}

/** The Redis keys written under the target's prefix (without the prefix). */
export const redisKeys = (target: EngineTarget) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.flatMap(acquireRedis({ url: redisTestUrl }), (client) =>
        Effect.promise(async () => {
          const found: Array<string> = []
          const stream = client.scanStream({ match: `${target.redisPrefix}*`, count: 1_000 })
          for await (const keys of stream as AsyncIterable<Array<string>>) found.push(...keys)
          return found.map((key) => key.slice(target.redisPrefix.length))
        }),
      ),
    ),
  )

/** Counts the rows of a table of the target database. */
export const countRows = (target: EngineTarget, table: string) =>
  admin((sql) => sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql(target.database)}.${sql(table)}`).then((rows) =>
    Number(rows[0]?.n ?? -1),
  )

/** Counts the target database's outbox entries still waiting for the relay. */
export const pendingOutbox = (target: EngineTarget) =>
  admin(
    (sql) =>
      sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql(target.database)}.outbox_event WHERE published_at IS NULL`,
  ).then((rows) => Number(rows[0]?.n ?? -1))

export const ADMIN_KEY = "integration-admin-key"
// fixed, so that tokens stay valid across a restart on the same database
const AUTH_SECRET = "integration-auth-secret-0123456789abcdef"

/** The environment `npm start` would get for the target (Redis too when asked). */
export const engineEnvironment = (target: EngineTarget, options: { readonly redis: boolean }): Environment => ({
  MYSQL_URL: target.mysqlUrl,
  ...(options.redis ? { REDIS_URL: redisTestUrl, REDIS_KEY_PREFIX: target.redisPrefix } : {}),
  HOST: "127.0.0.1",
  PORT: "0",
  ADMIN_KEY,
  AUTH_SECRET,
  SEED_DEMO_DATA: "false",
  LOG_LEVEL: "warn",
})

export const startOrThrow = async (env: Environment, options: Partial<StartOptions> = {}) => {
  const started: StartResult = await startEmbedded(env, {
    ...options,
    // cheap scrypt keeps sign-ups fast; the gateway approves everything after 30 ms
    passwordHasher: PasswordHasherScryptWith({ logN: 10, r: 8, p: 1 }),
    gateway: { seed: 11, latency: Duration.millis(30), requestFailureRatio: 0, declineRatio: 0, lostCallbackRatio: 0 },
    logSink: options.logSink ?? (() => {}),
  })
  if (started._tag !== "Started") throw new Error(`${started.heading}: ${started.lines.join("; ")}`)
  const client = makeClient(started.server.url)
  return { ...started, client, admin: { "x-admin-key": ADMIN_KEY }, ...makeActors(client, started.config, ADMIN_KEY) }
}

export type EngineServer = Awaited<ReturnType<typeof startOrThrow>>
