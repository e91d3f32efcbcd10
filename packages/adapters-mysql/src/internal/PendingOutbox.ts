import { type DomainEvent, encodeEventJson } from "@commerce-core/domain"
import type { SqlClient } from "@effect/sql/SqlClient"
import { Context, Effect } from "effect"
import { APPEND_SHARED } from "./OutboxAppendGuard.js"

export type OutboxRow = {
  readonly event_id: string
  readonly event_type: string
  readonly aggregate_key: string
  readonly payload: string
  readonly occurred_at: Date
}

/** Throws on an event that breaks its own schema: a bug of its producer, a defect here. */
export const outboxRowOf = (event: DomainEvent): OutboxRow => ({
  event_id: event.eventId,
  event_type: event._tag,
  aggregate_key: event.aggregateKey,
  payload: encodeEventJson(event),
  occurred_at: event.occurredAt,
})

/** The guard taken shared, then the rows: the statements of an append (see OutboxAppendGuard). */
const appendStatements = (sql: SqlClient, rows: ReadonlyArray<OutboxRow>) => {
  const [insert, params] = sql`INSERT INTO outbox_event ${sql.insert(rows)}`.compile()
  return [`${APPEND_SHARED}; ${insert}`, params] as const
}

/**
 * Rows appended outside any transaction (product views): a transaction of their own, sent in
 * one round trip on a reserved connection, rolled back if the insert fails (a batch stops at
 * its first failed statement, before its COMMIT).
 */
export const appendAlone = (sql: SqlClient, rows: ReadonlyArray<OutboxRow>) =>
  Effect.scoped(
    Effect.flatMap(sql.reserve, (conn) => {
      const [statements, params] = appendStatements(sql, rows)
      return conn
        .executeUnprepared(`BEGIN; ${statements}; COMMIT`, params, undefined)
        .pipe(Effect.tapError(() => Effect.ignore(conn.executeUnprepared("ROLLBACK", [], undefined))))
    }),
  )

/**
 * The outbox rows a transaction appended, held until its COMMIT, which sends them in the same
 * round trip. A hot row locked earlier in the transaction (a popular product's stock) is then
 * held for one round trip fewer, and a transaction that appends several times inserts once.
 * A savepoint that rolls back drops the rows appended inside it.
 */
export class PendingOutbox {
  private rows: Array<OutboxRow> = []

  add(rows: ReadonlyArray<OutboxRow>): void {
    for (const row of rows) this.rows.push(row)
  }

  /** A position to come back to when the savepoint opened now rolls back. */
  mark(): number {
    return this.rows.length
  }

  rollbackTo(mark: number): void {
    this.rows.length = Math.min(this.rows.length, mark)
  }

  /** The statements that end the transaction: the pending append, if any, then COMMIT. */
  commitStatement(sql: SqlClient): readonly [string, ReadonlyArray<unknown>] {
    if (this.rows.length === 0) return ["COMMIT", []]
    const [statements, params] = appendStatements(sql, this.rows)
    return [`${statements}; COMMIT`, params]
  }
}

export class PendingOutboxTag extends Context.Tag("@commerce-core/adapters-mysql/PendingOutbox")<
  PendingOutboxTag,
  PendingOutbox
>() {}
