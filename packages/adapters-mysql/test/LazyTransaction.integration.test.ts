import { EventOutbox, newEvent, ProductId } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer } from "effect"
import { expect } from "vitest"
import { EventOutboxMysql } from "../src/index.js"
import { transactional } from "../src/internal/Transaction.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { IdGeneratorUuid } from "./support/MysqlWorld.js"

class Refused {
  readonly _tag = "Refused"
}

describeMysql("transactions begin with their first statement", () => {
  const db = useTestDatabase()
  const layer = () => db.fresh(Layer.empty.pipe(Layer.provideMerge(EventOutboxMysql)))

  /** The client with its connection reservations (one per begun transaction) counted. */
  const counted = Effect.map(SqlClient, (sql) => {
    let reserved = 0
    const call = (...args: Parameters<SqlClient>) => sql(...args)
    const spy = Object.assign(call, sql, {
      reserve: Effect.tap(sql.reserve, () => {
        reserved++
      }),
    }) as unknown as SqlClient
    return { sql: spy, reserved: () => reserved }
  })

  const outboxIds = Effect.flatMap(SqlClient, (sql) =>
    Effect.map(sql<{ event_id: string }>`SELECT event_id FROM outbox_event ORDER BY sequence`, (rows) =>
      rows.map((row) => row.event_id),
    ),
  )

  it.live("a transaction refused before any statement reserves no connection and sends nothing", () =>
    Effect.gen(function* () {
      const { sql, reserved } = yield* counted
      const exit = yield* Effect.exit(transactional(sql)(Effect.fail(new Refused())))
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toBeInstanceOf(Refused)
      expect(reserved()).toBe(0)
    }).pipe(Effect.provide(layer())),
  )

  it.live("a transaction that only appends events stores them in one transaction of their own", () =>
    Effect.gen(function* () {
      const { sql, reserved } = yield* counted
      const outbox = yield* EventOutbox
      const event = yield* newEvent("ProductViewed", {
        views: 1,
        aggregateKey: "product:1",
        productId: ProductId.make(1),
      }).pipe(Effect.provide(IdGeneratorUuid))
      yield* transactional(sql)(outbox.append([event]))
      expect(reserved()).toBe(1)
      expect(yield* outboxIds).toEqual([event.eventId])
    }).pipe(Effect.provide(layer())),
  )

  it.live("the first statement begins the transaction on one connection; a later failure undoes it all", () =>
    Effect.gen(function* () {
      const { sql, reserved } = yield* counted
      const outbox = yield* EventOutbox
      yield* sql`CREATE TABLE IF NOT EXISTS lazy_probe (id INT PRIMARY KEY) ENGINE=InnoDB`
      const event = yield* newEvent("ProductViewed", {
        views: 1,
        aggregateKey: "product:2",
        productId: ProductId.make(2),
      }).pipe(Effect.provide(IdGeneratorUuid))
      const rows = sql<{ id: number }>`SELECT id FROM lazy_probe ORDER BY id`
      const sameConnection = yield* transactional(sql)(
        Effect.gen(function* () {
          const [a] = yield* sql<{ c: number }>`SELECT CONNECTION_ID() AS c`
          yield* sql`INSERT INTO lazy_probe (id) VALUES (1), (2)`
          const [b] = yield* sql<{ c: number }>`SELECT CONNECTION_ID() AS c`
          return a?.c === b?.c
        }),
      )
      expect(sameConnection).toBe(true)
      expect(reserved()).toBe(1)
      expect((yield* rows).map((r) => r.id)).toEqual([1, 2])

      const failed = yield* Effect.exit(
        transactional(sql)(
          Effect.gen(function* () {
            yield* sql`INSERT INTO lazy_probe (id) VALUES (3)`
            yield* outbox.append([event])
            return yield* Effect.fail(new Refused())
          }),
        ),
      )
      expect(Exit.isFailure(failed)).toBe(true)
      expect(reserved()).toBe(2)
      expect((yield* rows).map((r) => r.id)).toEqual([1, 2])
      expect(yield* outboxIds).toEqual([])
    }).pipe(Effect.provide(layer())),
  )

  it.live("first statements racing on forked fibers share the one connection the first of them reserves", () =>
    Effect.gen(function* () {
      const { sql, reserved } = yield* counted
      const connections = yield* transactional(sql)(
        Effect.all(
          Array.from({ length: 8 }, () => sql<{ c: number }>`SELECT CONNECTION_ID() AS c`),
          { concurrency: "unbounded" },
        ),
      )
      expect(reserved()).toBe(1)
      expect(new Set(connections.map(([row]) => row?.c)).size).toBe(1)
    }).pipe(Effect.provide(layer())),
  )

  it.live(
    "a transaction stopped while its first round trip (BEGIN and the first statement) is on the way still ends in ROLLBACK",
    () =>
      Effect.gen(function* () {
        const client = yield* SqlClient
        const sent: Array<string> = []
        const begun = yield* Deferred.make<void>()
        const reply = yield* Deferred.make<void>()
        const call = (...args: Parameters<SqlClient>) => client(...args)
        const sql = Object.assign(call, client, {
          reserve: Effect.map(client.reserve, (conn) => ({
            ...conn,
            // the batch with BEGIN reaches the server; its reply is held back until the test lets it through
            executeUnprepared: (statement: string, params: ReadonlyArray<unknown>, transform: undefined) =>
              Effect.tap(conn.executeUnprepared(statement, params, transform), () => {
                sent.push(statement)
                return statement.startsWith("BEGIN")
                  ? Effect.zipRight(Deferred.succeed(begun, undefined), Deferred.await(reply))
                  : Effect.void
              }),
          })),
        }) as unknown as SqlClient
        const fiber = yield* Effect.fork(transactional(sql)(sql`SELECT 1`))
        yield* Deferred.await(begun)
        const stopping = yield* Effect.fork(Fiber.interrupt(fiber))
        yield* Deferred.succeed(reply, undefined)
        yield* Fiber.join(stopping)
        expect(Exit.isInterrupted(yield* Fiber.await(fiber))).toBe(true)
        expect(sent).toEqual(["BEGIN;\nSELECT 1", "ROLLBACK"])
      }).pipe(Effect.provide(layer())),
  )
})
