import { EventOutbox, newEvent, ProductId, Transactor } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Option } from "effect"
import { expect } from "vitest"
import { EventOutboxMysql, TransactorMysql } from "../src/index.js"
import { readCommitted, transactional } from "../src/internal/Transaction.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { IdGeneratorUuid } from "./support/MysqlWorld.js"

describeMysql("Outbox claims and appends", () => {
  const db = useTestDatabase()
  const layer = () => db.fresh(Layer.merge(EventOutboxMysql, TransactorMysql))

  const appendOne = (n: number) =>
    Effect.gen(function* () {
      const outbox = yield* EventOutbox
      const tx = yield* Transactor
      const event = yield* newEvent("ProductViewed", {
        aggregateKey: `product:${n}`,
        productId: ProductId.make(n),
      }).pipe(Effect.provide(IdGeneratorUuid))
      yield* tx.withTransaction(outbox.append([event]))
    })

  /** Holds a claim-style scan (`FOR UPDATE` over the unpublished rows) open until `release`. */
  const holdScan = (
    run: <A, E>(self: Effect.Effect<A, E, SqlClient>) => Effect.Effect<A, unknown, SqlClient>,
    scanned: Deferred.Deferred<void>,
    release: Deferred.Deferred<void>,
  ) =>
    run(
      Effect.gen(function* () {
        const sql = yield* SqlClient
        yield* sql`SELECT sequence FROM outbox_event WHERE published_at IS NULL ORDER BY sequence LIMIT 100 FOR UPDATE`
        yield* Deferred.succeed(scanned, undefined)
        yield* Deferred.await(release)
      }),
    )

  it.live("a claim at READ COMMITTED never holds up appends, where REPEATABLE READ would block them", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      yield* appendOne(1)
      for (const [isolation, blocks] of [
        ["REPEATABLE READ", true],
        ["READ COMMITTED", false],
      ] as const) {
        const scanned = yield* Deferred.make<void>()
        const release = yield* Deferred.make<void>()
        const run = isolation === "READ COMMITTED" ? readCommitted(sql) : transactional(sql)
        const scan = yield* Effect.fork(holdScan(run, scanned, release))
        yield* Deferred.await(scanned)
        const appended = yield* Effect.fork(appendOne(2))
        const early = yield* Fiber.join(appended).pipe(Effect.timeout("1500 millis"), Effect.option)
        expect([isolation, Option.isNone(early)]).toEqual([isolation, blocks])
        yield* Deferred.succeed(release, undefined)
        yield* Fiber.join(scan)
        yield* Fiber.join(appended)
      }
      const rows = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM outbox_event`
      expect(Number(rows[0]?.n)).toBe(3)
    }).pipe(Effect.provide(layer())),
  )

  it.live("a claim at READ COMMITTED still waits for an entry an open transaction is appending", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const outbox = yield* EventOutbox
      const tx = yield* Transactor
      const appended = yield* Deferred.make<void>()
      const commit = yield* Deferred.make<void>()
      const event = yield* newEvent("ProductViewed", { aggregateKey: "product:7", productId: ProductId.make(7) }).pipe(
        Effect.provide(IdGeneratorUuid),
      )
      const writer = yield* Effect.fork(
        tx.withTransaction(
          outbox
            .append([event])
            .pipe(Effect.zipRight(Deferred.succeed(appended, undefined)), Effect.zipRight(Deferred.await(commit))),
        ),
      )
      yield* Deferred.await(appended)
      const scan = yield* Effect.fork(
        readCommitted(sql)(
          sql<{ event_id: string }>`SELECT event_id FROM outbox_event WHERE published_at IS NULL
            ORDER BY sequence LIMIT 100 FOR UPDATE`,
        ),
      )
      expect(Option.isNone(yield* Fiber.join(scan).pipe(Effect.timeout("1500 millis"), Effect.option))).toBe(true)
      yield* Deferred.succeed(commit, undefined)
      yield* Fiber.join(writer)
      expect((yield* Fiber.join(scan)).map((row) => row.event_id)).toEqual([event.eventId])
    }).pipe(Effect.provide(layer())),
  )
})
