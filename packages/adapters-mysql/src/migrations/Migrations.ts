import { PersistenceUnavailable } from "@commerce-core/domain"
import * as Migrator from "@effect/sql/Migrator"
import { SqlClient } from "@effect/sql/SqlClient"
import { Effect, Layer } from "effect"
import { isSqlError } from "../internal/SqlFailure.js"
import outbox from "./0001_outbox.js"
import accountsCatalog from "./0002_accounts_catalog.js"
import couponsRankingIdempotency from "./0003_coupons_ranking_idempotency.js"
import orders from "./0004_orders.js"
import eventHandledRetention from "./0005_event_handled_retention.js"
import paymentRefundOwed from "./0006_payment_refund_owed.js"
import outboxAppendGuard from "./0007_outbox_append_guard.js"
import rankingBoardExpiry from "./0008_ranking_board_expiry.js"

/**
 * Every schema change, in order. Each must be safe to run again (CREATE ... IF NOT EXISTS; a
 * change to an existing table checks information_schema first): MySQL commits DDL at once, and
 * the migrator records a migration before running it, so one cut short would be recorded as
 * done. `runMigrations` therefore re-applies the recorded ones after migrating, which finishes
 * any that a crash interrupted and costs a few no-op statements otherwise.
 */
export const migrations = {
  "0001_outbox": outbox,
  "0002_accounts_catalog": accountsCatalog,
  "0003_coupons_ranking_idempotency": couponsRankingIdempotency,
  "0004_orders": orders,
  "0005_event_handled_retention": eventHandledRetention,
  "0006_payment_refund_owed": paymentRefundOwed,
  "0007_outbox_append_guard": outboxAppendGuard,
  "0008_ranking_board_expiry": rankingBoardExpiry,
}

/** The table in which the migrator records what it applied. */
export const migrationsTable = "schema_migrations"

const migrate = Migrator.make({})({ loader: Migrator.fromRecord(migrations), table: migrationsTable })

const lockTimeoutSeconds = 120

/**
 * Applies the migrations that the database lacks and returns them (`[id, name]`). Processes
 * that start together queue on a named lock per database, so exactly one migrates and the
 * others find nothing left to do. Safe to run at every start-up.
 */
export const runMigrations: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  PersistenceUnavailable,
  SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient
  const lockName = sql`LEFT(CONCAT('commerce-core:migrate:', DATABASE()), 64)`
  return yield* Effect.scoped(
    Effect.gen(function* () {
      const connection = yield* sql.reserve
      const [sqlText, params] = sql`SELECT GET_LOCK(${lockName}, ${lockTimeoutSeconds}) AS acquired`.compile()
      const rows = (yield* connection.executeUnprepared(sqlText, params, undefined)) as ReadonlyArray<{
        acquired: number | null
      }>
      if (rows[0]?.acquired !== 1) {
        return yield* new PersistenceUnavailable({ reason: "another process held the migration lock too long" })
      }
      const [releaseText, releaseParams] = sql`SELECT RELEASE_LOCK(${lockName})`.compile()
      yield* Effect.addFinalizer(() =>
        Effect.ignore(connection.executeUnprepared(releaseText, releaseParams, undefined)),
      )
      const applied = yield* migrate
      yield* Effect.forEach(Object.values(migrations), (migration) => migration, { discard: true })
      return applied
    }),
  )
}).pipe(
  Effect.catchAllDefect((defect) =>
    defect instanceof Migrator.MigrationError ? Effect.fail(defect) : Effect.die(defect),
  ),
  Effect.catchAll((error) =>
    error instanceof PersistenceUnavailable
      ? Effect.fail(error)
      : Effect.fail(
          new PersistenceUnavailable({
            reason: isSqlError(error)
              ? `migration failed: ${String((error.cause as Error | undefined)?.message ?? error.message)}`
              : `migration failed: ${error.message}${error.cause === undefined ? "" : ` (${String((error.cause as Error)?.message ?? error.cause)})`}`,
          }),
        ),
  ),
)

/** Migrates at start-up: building this layer applies the pending migrations. */
export const MigrationsLive: Layer.Layer<never, PersistenceUnavailable, SqlClient> = Layer.effectDiscard(runMigrations)
