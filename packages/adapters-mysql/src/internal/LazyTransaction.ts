import type { SqlClient } from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option, Scope, Stream } from "effect"

/**
 * A transaction's connection that is reserved, and the transaction begun, by its first
 * statement. A transaction refused before it touches the database (a sold-out coupon turned
 * away by the Redis gate, say) then costs no connection and no BEGIN/ROLLBACK round trips.
 */
export interface LazyTransaction {
  /** What the statements inside see as the transaction's connection. */
  readonly connection: Connection
  /** The connection once the transaction has begun; none while nothing ran. */
  readonly begun: Effect.Effect<Option.Option<Connection>>
}

export const makeLazyTransaction = (
  sql: SqlClient,
  scope: Scope.Scope,
  isolation: string | undefined,
): Effect.Effect<LazyTransaction> =>
  Effect.gen(function* () {
    let opened: Connection | undefined
    const open: Effect.Effect<Connection, SqlError> = yield* Effect.cached(
      Effect.gen(function* () {
        const conn = yield* Scope.extend(sql.reserve, scope)
        // SET TRANSACTION (no SESSION) applies to the next transaction of this connection only
        const begin = isolation === undefined ? "BEGIN" : `SET TRANSACTION ISOLATION LEVEL ${isolation}; BEGIN`
        // Counted as begun before BEGIN is sent: once it may have run, the transaction ends in
        // ROLLBACK if nothing commits it, whatever stops it, or the pool would get back a
        // connection with a transaction open.
        return yield* Effect.uninterruptible(
          Effect.suspend(() => {
            opened = conn
            return Effect.as(conn.executeUnprepared(begin, [], undefined), conn)
          }),
        )
      }),
    )
    const connection: Connection = {
      execute: (statement, params, transformRows) =>
        Effect.flatMap(open, (c) => c.execute(statement, params, transformRows)),
      executeRaw: (statement, params) => Effect.flatMap(open, (c) => c.executeRaw(statement, params)),
      executeStream: (statement, params, transformRows) =>
        Stream.unwrap(Effect.map(open, (c) => c.executeStream(statement, params, transformRows))),
      executeValues: (statement, params) => Effect.flatMap(open, (c) => c.executeValues(statement, params)),
      executeUnprepared: (statement, params, transformRows) =>
        Effect.flatMap(open, (c) => c.executeUnprepared(statement, params, transformRows)),
    }
    return { connection, begun: Effect.sync(() => Option.fromNullable(opened)) }
  })
