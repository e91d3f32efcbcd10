import { EventOutbox, newEvent, OutboxRelayStore, ProductId, Transactor } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer, Option } from "effect"
import { expect } from "vitest"
import { EventOutboxMysql, OutboxRelayStoreMysql, TransactorMysql } from "../src/index.js"
import { APPEND_SHARED } from "../src/internal/OutboxAppendGuard.js"
import { readCommitted, transactional } from "../src/internal/Transaction.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { IdGeneratorUuid } from "./support/MysqlWorld.js"

describeMysql("Outbox claims and appends", () => {
  const db = useTestDatabase()
  const layer = () => db.fresh(Layer.mergeAll(EventOutboxMysql, TransactorMysql, OutboxRelayStoreMysql))

  const appendOne = (n: number) =>
    Effect.gen(function* () {
      const outbox = yield* EventOutbox
      const tx = yield* Transactor
      const event = yield* newEvent("ProductViewed", {
        views: 1,
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

  // Appends inside a transaction reach the table with its COMMIT, in the same round trip, and
  // appends outside one (views) insert at once: either way a row exists uncommitted for a moment.
  it.live("a claim at READ COMMITTED still waits for an entry an open transaction has inserted", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const tx = yield* Transactor
      const inserted = yield* Deferred.make<void>()
      const commit = yield* Deferred.make<void>()
      const writer = yield* Effect.fork(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* sql`INSERT INTO outbox_event (event_id, event_type, aggregate_key, payload, occurred_at)
              VALUES ('open-entry', 'ProductViewed', 'product:7', '{}', NOW(3))`
            yield* Deferred.succeed(inserted, undefined)
            yield* Deferred.await(commit)
          }),
        ),
      )
      yield* Deferred.await(inserted)
      const scan = yield* Effect.fork(
        readCommitted(sql)(
          sql<{ event_id: string }>`SELECT event_id FROM outbox_event WHERE published_at IS NULL
            ORDER BY sequence LIMIT 100 FOR UPDATE`,
        ),
      )
      expect(Option.isNone(yield* Fiber.join(scan).pipe(Effect.timeout("1500 millis"), Effect.option))).toBe(true)
      yield* Deferred.succeed(commit, undefined)
      yield* Fiber.join(writer)
      expect((yield* Fiber.join(scan)).map((row) => row.event_id)).toEqual(["open-entry"])
    }).pipe(Effect.provide(layer())),
  )

  it.live("a transaction's appends reach the table with its commit; a rolled-back savepoint drops its own", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const outbox = yield* EventOutbox
      const tx = yield* Transactor
      const viewed = (n: number) =>
        newEvent("ProductViewed", { views: 1, aggregateKey: `product:${n}`, productId: ProductId.make(n) }).pipe(
          Effect.provide(IdGeneratorUuid),
        )
      const [kept, dropped, last] = [yield* viewed(1), yield* viewed(2), yield* viewed(3)]
      const stored = sql<{ event_id: string }>`SELECT event_id FROM outbox_event ORDER BY sequence`.pipe(
        Effect.map((rows) => rows.map((row) => row.event_id)),
      )
      const seenInside = yield* tx.withTransaction(
        Effect.gen(function* () {
          yield* outbox.append([kept])
          yield* tx
            .withTransaction(Effect.zipRight(outbox.append([dropped]), Effect.fail("refused")))
            .pipe(Effect.ignore)
          yield* outbox.append([last])
          return yield* stored
        }),
      )
      expect(seenInside).toEqual([])
      expect(yield* stored).toEqual([kept.eventId, last.eventId])
      // a failed transaction leaves nothing behind
      yield* tx
        .withTransaction(Effect.zipRight(outbox.append([yield* viewed(4)]), Effect.fail("refused")))
        .pipe(Effect.ignore)
      expect(yield* stored).toEqual([kept.eventId, last.eventId])
    }).pipe(Effect.provide(layer())),
  )
  // An INSERT takes its sequence number before its row is visible: a claim in between could
  // publish a later entry of the same aggregate first. Appends hold the guard shared until
  // their COMMIT; a claim waits for it.
  it.live("a claim waits for an append that holds the guard, and then sees its entry", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const tx = yield* Transactor
      const store = yield* OutboxRelayStore
      const outbox = yield* EventOutbox
      const event = yield* newEvent("ProductViewed", {
        views: 1,
        aggregateKey: "product:9",
        productId: ProductId.make(9),
      }).pipe(Effect.provide(IdGeneratorUuid))
      const holding = yield* Deferred.make<void>()
      const commit = yield* Deferred.make<void>()
      const appender = yield* Effect.fork(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* sql.unsafe(APPEND_SHARED)
            yield* Deferred.succeed(holding, undefined)
            yield* Deferred.await(commit)
            yield* outbox.append([event])
          }),
        ),
      )
      yield* Deferred.await(holding)
      const claim = yield* Effect.fork(store.claim(10, "relay-test", 30_000))
      expect(Option.isNone(yield* Fiber.join(claim).pipe(Effect.timeout("1000 millis"), Effect.option))).toBe(true)
      yield* Deferred.succeed(commit, undefined)
      yield* Fiber.join(appender)
      expect((yield* Fiber.join(claim)).map((entry) => entry.event.eventId)).toEqual([event.eventId])
    }).pipe(Effect.provide(layer())),
  )
})
