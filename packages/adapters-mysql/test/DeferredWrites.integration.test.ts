import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { expect } from "vitest"
import { makeDb } from "../src/internal/Db.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

class Refused {
  readonly _tag = "Refused"
}

describeMysql("deferred writes travel with the transaction's next round trip", () => {
  const db = useTestDatabase()
  const layer = () => db.fresh(Layer.empty)

  /** The client with every round trip of a reserved (transaction) connection recorded. */
  const recorded = Effect.gen(function* () {
    const client = yield* SqlClient
    yield* client`CREATE TABLE IF NOT EXISTS deferred_probe (id INT PRIMARY KEY) ENGINE=InnoDB`
    yield* client`DELETE FROM deferred_probe`
    const trips: Array<string> = []
    const call = (...args: Parameters<SqlClient>) => client(...args)
    const spy = Object.assign(call, client, {
      reserve: Effect.map(client.reserve, (conn) => {
        const record =
          <F extends (statement: string, ...rest: Array<never>) => unknown>(f: F) =>
          (statement: string, ...rest: Array<never>) => {
            trips.push(statement)
            return f(statement, ...rest)
          }
        return {
          ...conn,
          execute: record(conn.execute.bind(conn)),
          executeRaw: record(conn.executeRaw.bind(conn)),
          executeUnprepared: record(conn.executeUnprepared.bind(conn)),
          executeValues: record(conn.executeValues.bind(conn)),
        }
      }),
    }) as unknown as SqlClient
    const dbOnSpy = yield* Effect.provideService(makeDb, SqlClient, spy)
    const ids = Effect.map(client<{ id: number }>`SELECT id FROM deferred_probe ORDER BY id`, (rows) =>
      rows.map((row) => row.id),
    )
    return { sql: spy, db: dbOnSpy, trips, ids }
  })

  it.live("writes deferred in a transaction go with its next statement, which sees them, and commit with it", () =>
    Effect.gen(function* () {
      const { sql, db, trips, ids } = yield* recorded
      const seen = yield* db.atomic(
        Effect.gen(function* () {
          yield* db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (1)`)
          yield* db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (${2})`)
          return yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM deferred_probe`
        }),
      )
      expect(Number(seen[0]?.n)).toBe(2)
      // BEGIN, both inserts and the SELECT in one round trip; then COMMIT
      expect(trips).toHaveLength(2)
      expect(trips[0]).toMatch(/^BEGIN;\nINSERT .*;\nINSERT .*;\nSELECT COUNT/s)
      expect(trips[1]).toBe("COMMIT")
      expect(yield* ids).toEqual([1, 2])
    }).pipe(Effect.provide(layer())),
  )

  it.live("writes deferred last go with the COMMIT", () =>
    Effect.gen(function* () {
      const { sql, db, trips, ids } = yield* recorded
      yield* db.atomic(
        Effect.gen(function* () {
          yield* sql`INSERT INTO deferred_probe (id) VALUES (1)`
          yield* db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (2)`)
        }),
      )
      expect(trips).toHaveLength(2)
      expect(trips[1]).toMatch(/^INSERT .*;\nCOMMIT$/s)
      expect(yield* ids).toEqual([1, 2])
    }).pipe(Effect.provide(layer())),
  )

  it.live("a failed transaction leaves none of its deferred writes, sent or not", () =>
    Effect.gen(function* () {
      const { sql, db, trips, ids } = yield* recorded
      const unsent = yield* Effect.exit(
        db.atomic(
          Effect.zipRight(db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (1)`), Effect.fail(new Refused())),
        ),
      )
      expect(Exit.isFailure(unsent)).toBe(true)
      expect(trips).toEqual([]) // nothing went out, so nothing to roll back
      const sent = yield* Effect.exit(
        db.atomic(
          Effect.gen(function* () {
            yield* db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (2)`)
            yield* sql`SELECT 1`
            return yield* Effect.fail(new Refused())
          }),
        ),
      )
      expect(Exit.isFailure(sent)).toBe(true)
      expect(trips.at(-1)).toBe("ROLLBACK")
      expect(yield* ids).toEqual([])
    }).pipe(Effect.provide(layer())),
  )

  it.live("a savepoint that rolls back undoes the writes deferred inside it, and only those", () =>
    Effect.gen(function* () {
      const { sql, db, ids } = yield* recorded
      yield* db.atomic(
        Effect.gen(function* () {
          yield* db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (1)`)
          const inner = yield* Effect.exit(
            db.atomic(
              Effect.zipRight(db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (2)`), Effect.fail(new Refused())),
            ),
          )
          expect(Exit.isFailure(inner)).toBe(true)
          yield* db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (3)`)
        }),
      )
      expect(yield* ids).toEqual([1, 3])
    }).pipe(Effect.provide(layer())),
  )

  it.live("a savepoint travels with its first statement; one that fails is rolled back to, keeping the rest", () =>
    Effect.gen(function* () {
      const { sql, db, trips, ids } = yield* recorded
      yield* db.atomic(
        Effect.gen(function* () {
          yield* db.atomic(sql`INSERT INTO deferred_probe (id) VALUES (1)`)
          const inner = yield* Effect.exit(
            db.atomic(Effect.zipRight(sql`INSERT INTO deferred_probe (id) VALUES (2)`, Effect.fail(new Refused()))),
          )
          expect(Exit.isFailure(inner)).toBe(true)
        }),
      )
      expect(trips).toHaveLength(4)
      expect(trips[0]).toMatch(/^BEGIN;\nSAVEPOINT effect_sql_1;\nINSERT .*\(1\)$/s)
      expect(trips[1]).toMatch(/^SAVEPOINT effect_sql_1;\nINSERT .*\(2\)$/s)
      expect(trips[2]).toBe("ROLLBACK TO SAVEPOINT effect_sql_1")
      expect(trips[3]).toBe("COMMIT")
      expect(yield* ids).toEqual([1])
    }).pipe(Effect.provide(layer())),
  )

  it.live("a deferred write that fails fails the statement carrying it, and the transaction", () =>
    Effect.gen(function* () {
      const { sql, db, ids } = yield* recorded
      const exit = yield* Effect.exit(
        db.atomic(
          Effect.gen(function* () {
            yield* db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (1)`)
            yield* db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (1)`)
            yield* sql`SELECT 1`
          }),
        ),
      )
      expect(Exit.isFailure(exit) && exit.cause.toString()).toContain("PersistenceUnavailable")
      expect(yield* ids).toEqual([])
    }).pipe(Effect.provide(layer())),
  )

  it.live("outside a transaction a deferred write runs at once", () =>
    Effect.gen(function* () {
      const { sql, db, ids } = yield* recorded
      yield* db.deferred(sql`INSERT INTO deferred_probe (id) VALUES (7)`)
      expect(yield* ids).toEqual([7])
    }).pipe(Effect.provide(layer())),
  )
})
