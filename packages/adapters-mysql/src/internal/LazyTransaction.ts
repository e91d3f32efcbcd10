import type { SqlClient } from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import { Context, Deferred, Effect, FiberId, Scope, Stream } from "effect"

/**
 * A transaction's connection, reserved by its first statement, with a queue of statements
 * that travel with the next round trip: BEGIN itself, and writes whose results nobody reads
 * (see `defer`). A transaction refused before it touches the database (a sold-out coupon
 * turned away by the Redis gate, say) costs no connection and no round trip; one that runs
 * costs a round trip per statement whose result it needs, and no more.
 *
 * Queued statements (BEGIN, SAVEPOINT, deferred writes) go first in the next round trip, as one
 * multi-statement text query; the server stops a batch at its first failure, so a failed
 * queued write fails the statement that carried it (the transaction then rolls back, as it
 * would have). A savepoint's ROLLBACK TO carries the writes queued inside it, which it then
 * undoes.
 */
export interface LazyTransaction {
  /** What the statements inside see as the transaction's connection. */
  readonly connection: Connection
  /** True once a statement reserved the connection (and queued or sent BEGIN). */
  readonly opened: () => boolean
  /** Queues one statement (no result wanted) for the next round trip, reserving the connection if need be. */
  readonly defer: (statement: string, params: ReadonlyArray<unknown>) => Effect.Effect<void, SqlError>
  /**
   * Sends what is queued, then `statements` (COMMIT, say), in one round trip, reserving the
   * connection and beginning if nothing ran yet. A failure stops the batch before its COMMIT,
   * so the transaction is rolled back.
   */
  readonly finish: (statements: string, params: ReadonlyArray<unknown>) => Effect.Effect<unknown, SqlError>
  /** Ends the transaction if a round trip went out (before that there is none); never fails. */
  readonly rollback: Effect.Effect<void>
}

/** The outermost transaction open on this fiber, for writes that can wait for the next round trip. */
export class CurrentTransaction extends Context.Tag("@commerce-core/adapters-mysql/CurrentTransaction")<
  CurrentTransaction,
  LazyTransaction
>() {}

/** Statements waiting for the next round trip. */
class Queued {
  texts: Array<string> = []
  params: Array<unknown> = []

  add(text: string, params: ReadonlyArray<unknown>) {
    this.texts.push(text)
    for (const p of params) this.params.push(p)
  }

  /** The queue followed by `statement`, and how many results of the batch are the queue's. */
  take(statement: string, params: ReadonlyArray<unknown>): readonly [string, Array<unknown>, number] {
    const count = this.texts.length
    const text = `${this.texts.join(";\n")};\n${statement}`
    const all = this.params
    for (const p of params) all.push(p)
    this.texts = []
    this.params = []
    return [text, all, count]
  }
}

/** The results of the carried statement: one result as the driver gives one, several as an array. */
const ownResults = (results: ReadonlyArray<unknown>, queued: number): unknown => {
  const own = results.slice(queued)
  return own.length === 1 ? own[0] : own
}

/** What `execute` returns for a result: the rows of a SELECT (transformed), nothing for a write. */
const rowsOf =
  (transformRows: (<A extends object>(rows: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined) =>
  (result: unknown): never => {
    const rows = Array.isArray(result) ? result : []
    return (transformRows ? transformRows(rows) : rows) as never
  }

/**
 * `reserve` run in `outer`, the context the transaction started in: the connection's release
 * (a scope finalizer) then runs in the context it was acquired in, and Effect computes no
 * context patch for it (with every service of an application in context, that diff costs
 * more than the round trip it releases).
 */
export const makeLazyTransaction = (
  sql: SqlClient,
  scope: Scope.Scope,
  outer: Context.Context<never>,
  isolation: string | undefined,
): LazyTransaction => {
  let opened: Connection | undefined
  let sent = false
  // a second fiber of the transaction that needs the connection while the first reserves it waits here
  let opening: Deferred.Deferred<Connection, SqlError> | undefined
  const queued = new Queued()
  const reserve = Effect.provide(Scope.extend(sql.reserve, scope), outer)
  const open: Effect.Effect<Connection, SqlError> = Effect.suspend(() => {
    if (opened !== undefined) return Effect.succeed(opened)
    if (opening !== undefined) return Deferred.await(opening)
    const done = Deferred.unsafeMake<Connection, SqlError>(FiberId.none)
    opening = done
    return Effect.onExit(
      Effect.map(reserve, (conn) => {
        // SET TRANSACTION (no SESSION) applies to the next transaction of this connection only
        if (isolation !== undefined) queued.add(`SET TRANSACTION ISOLATION LEVEL ${isolation}`, [])
        queued.add("BEGIN", [])
        opened = conn
        return conn
      }),
      (exit) => Deferred.done(done, exit),
    )
  })

  /** Runs `statement` with the queue in front of it, if any; `plain` runs it alone. */
  const carrying = <A>(
    statement: string,
    params: ReadonlyArray<unknown>,
    plain: (conn: Connection) => Effect.Effect<A, SqlError>,
    fromResults: (results: unknown) => A,
  ): Effect.Effect<A, SqlError> =>
    Effect.flatMap(open, (conn) => {
      if (queued.texts.length === 0) return plain(conn)
      const [text, all, count] = queued.take(statement, params)
      // from here the batch may have begun the transaction, so a failure ends in ROLLBACK
      sent = true
      // a batch of several statements: the driver answers with one result per statement
      return Effect.map(conn.executeUnprepared(text, all, undefined), (results) =>
        fromResults(ownResults(results, count)),
      )
    })

  const rollback = Effect.suspend(() =>
    opened === undefined || !sent ? Effect.void : Effect.ignore(opened.executeUnprepared("ROLLBACK", [], undefined)),
  )

  /** Sends the queue as a round trip of its own (before statements that cannot carry it). */
  const flushAlone = Effect.flatMap(open, (conn) => {
    if (queued.texts.length === 0) return Effect.void
    const [text, all] = queued.take("DO 0", [])
    sent = true
    return Effect.asVoid(conn.executeUnprepared(text, all, undefined))
  })

  const connection: Connection = {
    execute: (statement, params, transformRows) =>
      carrying(statement, params, (c) => c.execute(statement, params, transformRows), rowsOf(transformRows)),
    executeRaw: (statement, params) =>
      carrying(
        statement,
        params,
        (c) => c.executeRaw(statement, params),
        (result) => result,
      ),
    executeUnprepared: (statement, params, transformRows) =>
      // A savepoint's result is never read: it travels with the next round trip (its own first
      // statement, or the ROLLBACK TO that undoes it), like BEGIN.
      params.length === 0 && statement.startsWith("SAVEPOINT ")
        ? Effect.map(open, () => {
            queued.add(statement, [])
            return [] as never
          })
        : carrying(
            statement,
            params,
            (c) => c.executeUnprepared(statement, params, transformRows),
            rowsOf(transformRows),
          ),
    executeValues: (statement, params) =>
      Effect.zipRight(
        flushAlone,
        Effect.flatMap(open, (c) => c.executeValues(statement, params)),
      ),
    executeStream: (statement, params, transformRows) =>
      Stream.unwrap(
        Effect.zipRight(
          flushAlone,
          Effect.map(open, (c) => c.executeStream(statement, params, transformRows)),
        ),
      ),
  }

  return {
    connection,
    opened: () => opened !== undefined,
    defer: (statement, params) => Effect.map(open, () => queued.add(statement, params)),
    finish: (statements, params) =>
      carrying(
        statements,
        params,
        (c) => c.executeUnprepared(statements, params, undefined),
        (result) => result,
      ).pipe(Effect.tapError(() => rollback)),
    rollback,
  }
}
