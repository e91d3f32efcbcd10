import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, Exit, Tracer } from "effect"
import { expect } from "vitest"
import { mysqlClientLayer } from "../src/index.js"
import { isLeanStatement } from "../src/internal/LeanStatements.js"
import { transactional } from "../src/internal/Transaction.js"
import { describeMysql, server, useTestDatabase } from "./support/MysqlTestDatabase.js"

/** The current tracer, also recording the names of the spans it starts. */
const recordingTracer = Effect.map(Effect.tracer, (current) => {
  const names: Array<string> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      names.push(name)
      return current.span(name, parent, context, links, startTime, kind, options)
    },
    context: current.context,
  })
  return { names, tracer }
})

describeMysql("lean statements", () => {
  const db = useTestDatabase()
  const table = Effect.flatMap(SqlClient, (sql) =>
    sql`CREATE TABLE IF NOT EXISTS lean_probe (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)`.raw.pipe(
      Effect.zipRight(sql`DELETE FROM lean_probe`.raw),
    ),
  )
  const client = (statementSpans: boolean) =>
    mysqlClientLayer({ ...server, database: db.name, poolSize: 4, statementSpans })

  it.live("run every kind of statement, in and out of transactions, with the library's results", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      yield* table
      expect(isLeanStatement(sql`SELECT 1`)).toBe(true)
      expect(isLeanStatement(sql.unsafe("SELECT 1"))).toBe(true)
      const inserted = yield* sql`INSERT INTO lean_probe ${sql.insert([
        { id: 1, name: "one" },
        { id: 2, name: "two" },
      ])}`.raw
      expect(inserted).toMatchObject({ affectedRows: 2 })
      const columns = sql`id, name`
      expect(yield* sql`SELECT ${columns} FROM lean_probe WHERE ${sql.in("id", [2])}`).toEqual([{ id: 2, name: "two" }])
      expect(yield* sql`SELECT name FROM lean_probe ORDER BY id`.values).toEqual([["one"], ["two"]])
      const batch = yield* sql`UPDATE lean_probe SET name = 'uno' WHERE id = 1; SELECT ROW_COUNT() AS n`.unprepared
      expect(batch).toHaveLength(2)
      // a savepoint that fails undoes its own write; the transaction commits the rest
      yield* transactional(sql)(
        Effect.gen(function* () {
          yield* sql`INSERT INTO lean_probe VALUES (3, 'three')`.raw
          const inner = yield* Effect.exit(
            transactional(sql)(
              Effect.zipRight(sql`INSERT INTO lean_probe VALUES (4, 'four')`.raw, Effect.fail("refused" as const)),
            ),
          )
          expect(Exit.isFailure(inner)).toBe(true)
        }),
      )
      const rows = yield* sql<{ id: number; name: string }>`SELECT id, name FROM lean_probe ORDER BY id`
      expect(rows.map((r) => `${r.id}:${r.name}`)).toEqual(["1:uno", "2:two", "3:three"])
    }).pipe(Effect.provide(client(false))),
  )

  it.live("trace each statement in its own span only when statementSpans is set", () =>
    Effect.gen(function* () {
      for (const statementSpans of [false, true]) {
        const { names, tracer } = yield* recordingTracer
        yield* Effect.gen(function* () {
          const sql = yield* SqlClient
          yield* table
          expect(isLeanStatement(sql`SELECT 1`)).toBe(!statementSpans)
          yield* sql`INSERT INTO lean_probe VALUES (1, 'one')`.raw
          expect(yield* sql`SELECT id FROM lean_probe`).toEqual([{ id: 1 }])
        }).pipe(Effect.provide(client(statementSpans)), Effect.withTracer(tracer))
        expect(names.filter((name) => name === "sql.execute").length).toBe(statementSpans ? 4 : 0)
      }
    }),
  )
})
