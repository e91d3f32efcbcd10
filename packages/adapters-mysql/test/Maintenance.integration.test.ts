import {
  EventId,
  EventInbox,
  EventOutbox,
  IdempotencyStore,
  newEvent,
  OutboxRelayStore,
  ProductId,
  Transactor,
} from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { expect } from "vitest"
import {
  EventInboxMysql,
  EventOutboxMysql,
  IdempotencyStoreMysql,
  OutboxRelayStoreMysql,
  purgeExpiredIdempotencyRecords,
  purgeHandledEvents,
  purgePublishedOutbox,
  TransactorMysql,
} from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { IdGeneratorUuid } from "./support/MysqlWorld.js"

const count = (table: string) =>
  Effect.flatMap(SqlClient, (sql) => sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql(table)}`).pipe(
    Effect.map((rows) => Number(rows[0]?.n)),
  )

describeMysql("Maintenance", () => {
  const db = useTestDatabase()
  const layer = () =>
    db.fresh(
      Layer.mergeAll(EventOutboxMysql, OutboxRelayStoreMysql, TransactorMysql, IdempotencyStoreMysql, EventInboxMysql),
    )

  it.live("purges published outbox rows older than the cut-off and never an unpublished one", () =>
    Effect.gen(function* () {
      const outbox = yield* EventOutbox
      const store = yield* OutboxRelayStore
      const tx = yield* Transactor
      const events = yield* Effect.forEach([1, 2, 3, 4], (n) =>
        newEvent("ProductViewed", { views: 1, aggregateKey: `product:${n}`, productId: ProductId.make(n) }),
      ).pipe(Effect.provide(IdGeneratorUuid))
      yield* tx.withTransaction(outbox.append(events))
      const claimed = yield* store.claim(2, "relay-a", 60_000)
      expect(
        yield* store.markPublished(
          "relay-a",
          claimed.map((e) => e.sequence),
        ),
      ).toBe(2)
      expect(yield* purgePublishedOutbox(new Date(Date.now() - 60_000))).toBe(0)
      expect(yield* purgePublishedOutbox(new Date(Date.now() + 60_000))).toBe(2)
      expect(yield* count("outbox_event")).toBe(2)
      expect((yield* store.counts).pending).toBe(2)
      expect(yield* purgePublishedOutbox(new Date(Date.now() + 60_000))).toBe(0)
    }).pipe(Effect.provide(layer())),
  )

  it.live("purges only idempotency records whose time ran out", () =>
    Effect.gen(function* () {
      const store = yield* IdempotencyStore
      yield* store.begin({ scope: { owner: "u", key: "short" }, fingerprint: "f", leaseMillis: 1 })
      yield* store.begin({ scope: { owner: "u", key: "long" }, fingerprint: "f", leaseMillis: 60_000 })
      yield* Effect.sleep("20 millis")
      expect(yield* purgeExpiredIdempotencyRecords()).toBe(1)
      expect(yield* count("idempotency_record")).toBe(1)
      expect(yield* store.begin({ scope: { owner: "u", key: "long" }, fingerprint: "f", leaseMillis: 60_000 })).toEqual(
        {
          _tag: "InProgress",
        },
      )
    }).pipe(Effect.provide(layer())),
  )

  const later = () => new Date(Date.now() + 60_000)
  const eventId = (n: number) => EventId.make(`00000000-0000-4000-8000-${String(n).padStart(12, "0")}`)
  /** Marks `ids` handled by `consumer`, the n-th of them `n` seconds in the past. */
  const handled = (consumer: string, ids: ReadonlyArray<EventId>) =>
    Effect.gen(function* () {
      const inbox = yield* EventInbox
      const sql = yield* SqlClient
      yield* inbox.markHandledAll(consumer, ids)
      yield* Effect.forEach(
        ids,
        (id, n) =>
          sql`UPDATE event_handled SET handled_at = UTC_TIMESTAMP(3) - INTERVAL ${ids.length - n} SECOND
          WHERE consumer = ${consumer} AND event_id = ${id}`,
        { discard: true },
      )
    })

  it.live("purges inbox rows handled before the cut-off, oldest first and in bounded batches", () =>
    Effect.gen(function* () {
      const inbox = yield* EventInbox
      const ids = Array.from({ length: 5 }, (_, i) => eventId(i + 1))
      yield* handled("metrics", ids)
      expect(yield* purgeHandledEvents(new Date(Date.now() - 60_000))).toBe(0)
      expect(yield* purgeHandledEvents(later(), 2)).toBe(2)
      expect(yield* inbox.isHandled("metrics", ids[0] as EventId)).toBe(false)
      expect(yield* inbox.isHandled("metrics", ids[1] as EventId)).toBe(false)
      expect(yield* inbox.isHandled("metrics", ids[2] as EventId)).toBe(true)
      expect(yield* purgeHandledEvents(later(), 2)).toBe(2)
      expect(yield* purgeHandledEvents(later(), 2)).toBe(1)
      expect(yield* purgeHandledEvents(later(), 2)).toBe(0)
      expect(yield* count("event_handled")).toBe(0)
      // A forgotten event is handled again if it ever came back: why the retention has a rule.
      expect(yield* inbox.markHandledAll("metrics", [ids[0] as EventId])).toEqual([true])
    }).pipe(Effect.provide(layer())),
  )

  it.live("keeps the inbox rows of an event the outbox still holds unpublished, until it is published", () =>
    Effect.gen(function* () {
      const outbox = yield* EventOutbox
      const store = yield* OutboxRelayStore
      const tx = yield* Transactor
      const inbox = yield* EventInbox
      const events = yield* Effect.forEach([1, 2], (n) =>
        newEvent("ProductViewed", { views: 1, aggregateKey: `product:${n}`, productId: ProductId.make(n) }),
      ).pipe(Effect.provide(IdGeneratorUuid))
      yield* tx.withTransaction(outbox.append(events))
      const [pending, published] = events.map((e) => e.eventId)
      // Both delivered to two consumers; only the second event's delivery was acknowledged.
      yield* handled("a", [pending as EventId, published as EventId])
      yield* handled("b", [pending as EventId, published as EventId])
      const claimed = yield* store.claim(10, "relay-a", 60_000)
      const second = claimed.find((e) => e.event.eventId === published)
      expect(second).toBeDefined()
      yield* store.markPublished("relay-a", [second?.sequence as number])

      expect(yield* purgeHandledEvents(later())).toBe(2)
      expect(yield* inbox.isHandled("a", pending as EventId)).toBe(true)
      expect(yield* inbox.isHandled("b", pending as EventId)).toBe(true)
      expect(yield* inbox.isHandled("a", published as EventId)).toBe(false)

      yield* store.markPublished(
        "relay-a",
        claimed.filter((e) => e.event.eventId === pending).map((e) => e.sequence),
      )
      expect(yield* purgeHandledEvents(later())).toBe(2)
      expect(yield* count("event_handled")).toBe(0)
    }).pipe(Effect.provide(layer())),
  )

  it.live("racing purges (several processes) delete every eligible row exactly once", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const rows = 400
      const values = Array.from({ length: rows }, (_, i) => ({
        consumer: `c${i % 4}`,
        event_id: eventId(i),
        handled_at: new Date(Date.now() - 3_600_000 + i),
      }))
      yield* sql`INSERT INTO event_handled ${sql.insert(values)}`
      const recent = { consumer: "c0", event_id: eventId(99_999), handled_at: new Date(Date.now()) }
      yield* sql`INSERT INTO event_handled ${sql.insert(recent)}`
      const cutoff = new Date(Date.now() - 60_000)
      const drain = (total: number): Effect.Effect<number, unknown, SqlClient> =>
        Effect.flatMap(purgeHandledEvents(cutoff, 7), (n) => (n === 0 ? Effect.succeed(total) : drain(total + n)))
      const deleted = yield* Effect.all(
        Array.from({ length: 12 }, () => drain(0)),
        { concurrency: "unbounded" },
      )
      expect(deleted.reduce((a, b) => a + b, 0)).toBe(rows)
      expect(yield* count("event_handled")).toBe(1)
    }).pipe(Effect.provide(layer())),
  )

  it.live("the inbox retention reads an index on handled_at (migration 0005)", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      const indexed = yield* sql<{ column_name: string }>`SELECT COLUMN_NAME AS column_name
        FROM information_schema.statistics
        WHERE table_schema = DATABASE() AND table_name = 'event_handled' AND index_name = 'ix_event_handled_at'`
      expect(indexed.map((r) => r.column_name)).toEqual(["handled_at"])
    }).pipe(Effect.provide(layer())),
  )
})
