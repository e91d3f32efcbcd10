import { SqlClient } from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type * as Statement from "@effect/sql/Statement"
import { Effect, Option } from "effect"
import { CurrentTransaction } from "./LazyTransaction.js"
import { classify, duplicateKeyName, isSqlError } from "./SqlFailure.js"
import { inTransaction, readCommitted, statement, transactional } from "./Transaction.js"

/** What every adapter captures when its layer is built: the client and the error-mapping runners. */
export const makeDb = Effect.map(SqlClient, (sql) => {
  const run = statement()
  return {
    sql,
    /** One statement; driver errors become PersistenceUnavailable. */
    run,
    /** Several statements that must commit together (a savepoint inside an open transaction). */
    atomic: transactional(sql),
    /**
     * Several statements in one transaction, joining an open one without a savepoint. Only for
     * operations whose domain failures all come before their first write: what can fail after
     * it is the connection or the server, which aborts the enclosing transaction anyway. Saves
     * the SAVEPOINT round trip while hot rows are locked.
     */
    joined: <A, E, R>(self: Effect.Effect<A, E, R>) =>
      Effect.flatMap(inTransaction, (open) => (open ? self : transactional(sql)(self))),
    /** A transaction at READ COMMITTED (locking reads take no gap locks); a savepoint when nested. */
    readCommitted: readCommitted(sql),
    /**
     * A write whose result nobody reads (a ledger row, an order's rows): inside a transaction it
     * travels with the transaction's next round trip (see LazyTransaction), outside it runs now.
     * Only for writes that cannot fail on their own (no unique key a caller could collide on):
     * a failure surfaces at the statement that carries it, and fails the transaction.
     */
    deferred: (statement: Statement.Statement<unknown>) =>
      Effect.flatMap(Effect.serviceOption(CurrentTransaction), (open) => {
        if (Option.isNone(open)) return Effect.asVoid(run(statement.raw))
        const [text, params] = statement.compile()
        return run(open.value.defer(text, params))
      }),
  }
})

export type Db = Effect.Effect.Success<typeof makeDb>

/** `affectedRows` of an INSERT/UPDATE/DELETE result (matched rows: mysql2 sets FOUND_ROWS). */
export const affectedRows = (raw: unknown): number =>
  typeof raw === "object" && raw !== null && typeof (raw as { affectedRows?: unknown }).affectedRows === "number"
    ? (raw as { affectedRows: number }).affectedRows
    : 0

/** `insertId` of an INSERT result: the first auto-increment id of the statement. */
export const insertId = (raw: unknown): number =>
  typeof raw === "object" && raw !== null ? Number((raw as { insertId?: unknown }).insertId ?? 0) : 0

/** Turns a duplicate-key error (of the named unique key, when given) into a domain failure. */
export const onDuplicateKey =
  <E2>(onDuplicate: (error: SqlError) => E2, key?: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | E2, R> =>
    Effect.catchIf(
      self,
      (error) =>
        isSqlError(error) &&
        classify(error) === "duplicate-key" &&
        (key === undefined || duplicateKeyName(error) === key),
      (error) => Effect.fail(onDuplicate(error as SqlError)),
    )
