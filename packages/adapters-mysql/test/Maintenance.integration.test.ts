import { EventOutbox, IdempotencyStore, newEvent, OutboxRelayStore, ProductId, Transactor } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { expect } from "vitest"
import {
  EventOutboxMysql,
  IdempotencyStoreMysql,
  OutboxRelayStoreMysql,
  purgeExpiredIdempotencyRecords,
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
    db.fresh(Layer.mergeAll(EventOutboxMysql, OutboxRelayStoreMysql, TransactorMysql, IdempotencyStoreMysql))

  it.live("purges published outbox rows older than the cut-off and never an unpublished one", () =>
    Effect.gen(function* () {
      const outbox = yield* EventOutbox
      const store = yield* OutboxRelayStore
      const tx = yield* Transactor
      const events = yield* Effect.forEach([1, 2, 3, 4], (n) =>
        newEvent("ProductViewed", { aggregateKey: `product:${n}`, productId: ProductId.make(n) }),
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
})
