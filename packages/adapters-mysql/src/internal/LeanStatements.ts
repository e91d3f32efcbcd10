import type { SqlClient } from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import type { SqlError } from "@effect/sql/SqlError"
import type { Statement } from "@effect/sql/Statement"
import { Effect } from "effect"

/** What @effect/sql's statement class holds (its constructor's arguments) and does, by shape. */
interface StatementInternals {
  readonly segments: unknown
  readonly acquirer: Effect.Effect<Connection, SqlError>
  readonly compiler: unknown
  readonly spanAttributes: unknown
  readonly transformRows: unknown
  compile(withoutTransform?: boolean): readonly [string, ReadonlyArray<unknown>]
}

type RunWith = (
  connection: Connection,
  text: string,
  params: ReadonlyArray<unknown>,
) => Effect.Effect<unknown, SqlError>

const leanMarker: unique symbol = Symbol.for("@commerce-core/adapters-mysql/LeanStatement")

type StatementClass = new (
  segments: unknown,
  acquirer: unknown,
  compiler: unknown,
  spanAttributes: unknown,
  transformRows: unknown,
) => StatementInternals

/**
 * The client with statements that run without a tracing span and a scope of their own.
 *
 * @effect/sql runs every statement inside `useSpan` (a span with five attributes and two clock
 * reads) and `Effect.scoped`, even with tracing disabled: about 40 µs of CPU a statement on
 * this machine, more than the driver's own work (`bench/driver-overhead.mjs`). Lean statements
 * are the library's own statement class with one method replaced: they compile, take the
 * connection the same way (the transaction's, else the pool) and run the same driver call.
 * Everything else (fragments, helpers, transactions, savepoints, streams) is the library's.
 * Statements the client builds are lean, as are those `unsafe` builds; `statementSpans: true` keeps
 * the library's path, for a deployment that traces its SQL (streams keep it always).
 */
export const leanStatements = (sql: SqlClient): SqlClient => {
  const Library = (sql`SELECT 1` as unknown as object).constructor as StatementClass
  class LeanStatement extends Library {
    get [leanMarker]() {
      return true
    }

    withConnection(_operation: string, run: RunWith, withoutTransform = false) {
      return Effect.suspend(() => {
        const [text, params] = this.compile(withoutTransform)
        return Effect.flatMap(this.acquirer, (connection) => run(connection, text, params))
      })
    }
  }
  const lean = (made: StatementInternals) =>
    new LeanStatement(made.segments, made.acquirer, made.compiler, made.spanAttributes, made.transformRows)

  const tag = (strings: unknown, ...args: Array<unknown>) => {
    const made = (sql as unknown as (...all: Array<unknown>) => unknown)(strings, ...args)
    // a template makes a statement; a plain string makes an identifier, left as it is
    return Array.isArray(strings) && "raw" in strings ? lean(made as StatementInternals) : made
  }
  const client = Object.assign(tag, sql, {
    unsafe: (text: string, params?: ReadonlyArray<unknown>) => lean(sql.unsafe(text, params) as never),
  }) as unknown as SqlClient & { safe: SqlClient }
  client.safe = client
  return client
}

/** Whether a statement is lean (for tests of the client's configuration). */
export const isLeanStatement = (statement: Statement<unknown>): boolean =>
  (statement as unknown as { readonly [leanMarker]?: boolean })[leanMarker] === true
