import { randomBytes } from "node:crypto"
import {
  CouponsMysql,
  CouponTemplateRepositoryMysql,
  mysqlClientLayer,
  parseMysqlUrl,
  runMigrations,
} from "@commerce-core/adapters-mysql"
import {
  type CouponTemplateRepository,
  IssuedCouponRepository,
  PersistenceUnavailable,
  UserId,
} from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { Context, Effect, Either, Exit, Layer, Scope } from "effect"
import { afterAll, beforeAll, describe } from "vitest"
import { CouponIssueLedger, IssuedCouponRepositoryGated, type RedisClient } from "../../src/index.js"

/**
 * The MariaDB of SERVICES.md (or MYSQL_TEST_URL) as the gate's store of truth: a database of
 * this file's own, migrated by the MySQL adapter's migrations and dropped at the end. Under
 * CI=true an unreachable server fails the run.
 */
const server = Either.getOrThrowWith(
  parseMysqlUrl(process.env.MYSQL_TEST_URL ?? "mysql://root@127.0.0.1:3306/test", 2),
  (reason) => new Error(`MYSQL_TEST_URL ${reason}`),
)

const admin = <A, E>(f: (sql: SqlClient) => Effect.Effect<A, E>) =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(Layer.build(mysqlClientLayer(server)), (ctx) => f(Context.get(ctx, SqlClient)))),
  )

const probe = await admin(() => Effect.void).then(
  () => undefined,
  (error: unknown) => String(error),
)
if (probe !== undefined && process.env.CI === "true") {
  throw new Error(`MariaDB is required under CI=true but is unreachable at ${server.host}:${server.port}: ${probe}`)
}

export const describeMysql = (name: string, body: () => void) => {
  if (probe !== undefined) console.warn(`[adapters-redis] skipping "${name}": MariaDB unreachable (${probe})`)
  describe.skipIf(probe !== undefined)(name, body)
}

export interface MysqlStoreProbe {
  calls: number
}

/** Registers the database for the enclosing suite; `world` builds the gate over CouponsMysql. */
export const useMysqlCouponStore = () => {
  const name = `commerce_test_redis_${randomBytes(5).toString("hex")}`
  let scope: Scope.CloseableScope | undefined
  let context: Context.Context<SqlClient> | undefined

  beforeAll(async () => {
    await admin((sql) => sql`CREATE DATABASE ${sql(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.raw)
    scope = await Effect.runPromise(Scope.make())
    context = await Effect.runPromise(
      Layer.buildWithScope(mysqlClientLayer({ ...server, database: name, poolSize: 30 }), scope),
    )
    await Effect.runPromise(Effect.provide(runMigrations, context))
  })

  afterAll(async () => {
    if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
    await admin((sql) => sql`DROP DATABASE IF EXISTS ${sql(name)}`.raw)
  })

  const sql = () => {
    if (!context) throw new Error("the test database is not ready: use it inside a test")
    return Context.get(context, SqlClient)
  }

  const world = (
    redis: Layer.Layer<RedisClient>,
    options: { readonly onCall?: (call: number) => Effect.Effect<void> } = {},
  ) => {
    const counter: MysqlStoreProbe = { calls: 0 }
    const client = Layer.succeedContext(context as Context.Context<SqlClient>)
    const probed = Layer.effect(
      IssuedCouponRepository,
      Effect.map(IssuedCouponRepository, (store) =>
        IssuedCouponRepository.of({
          ...store,
          issue: (template, userId, now) =>
            Effect.gen(function* () {
              const call = ++counter.calls
              if (options.onCall) yield* options.onCall(call)
              return yield* store.issue(template, userId, now)
            }),
        }),
      ),
    ).pipe(Layer.provide(CouponsMysql))
    const ledger = Layer.succeed(
      CouponIssueLedger,
      CouponIssueLedger.of({
        holders: (templateId) =>
          sql()<{ user_id: number }>`SELECT user_id FROM issued_coupon WHERE template_id = ${templateId}`.pipe(
            Effect.map((rows) => rows.map((r) => UserId.make(Number(r.user_id)))),
            Effect.mapError((e) => new PersistenceUnavailable({ reason: String(e) })),
          ),
      }),
    )
    const gated = IssuedCouponRepositoryGated.pipe(Layer.provide(Layer.mergeAll(probed, redis, ledger)))
    const layer: Layer.Layer<IssuedCouponRepository | CouponTemplateRepository> = Layer.merge(
      gated,
      CouponTemplateRepositoryMysql,
    ).pipe(Layer.provide(client))
    return { layer, probe: counter }
  }

  /** What the database holds for a template: coupons, distinct holders, the template's counter. */
  const truth = (templateId: number) =>
    Effect.orDie(
      Effect.map(
        sql()<{ coupons: number; holders: number; counted: number }>`SELECT
          (SELECT COUNT(*) FROM issued_coupon WHERE template_id = ${templateId}) AS coupons,
          (SELECT COUNT(DISTINCT user_id) FROM issued_coupon WHERE template_id = ${templateId}) AS holders,
          (SELECT issued_count FROM coupon_template WHERE id = ${templateId}) AS counted`,
        (rows) => {
          const row = rows[0]
          return { coupons: Number(row?.coupons), holders: Number(row?.holders), counted: Number(row?.counted) }
        },
      ),
    )

  return { world, truth }
}
