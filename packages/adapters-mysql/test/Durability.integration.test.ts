import {
  type DomainEvent,
  EventPublisher,
  makeOutboxRelay,
  OrderService,
  OutboxRelayStore,
  PointService,
  PointWalletRepository,
  UserId,
} from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, Exit, Fiber, Layer, Scope } from "effect"
import { expect } from "vitest"
import { mysqlClientLayer } from "../src/index.js"
import { admin, describeMysql, server, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { IdGeneratorUuid, mysqlWorld, seedProduct } from "./support/MysqlWorld.js"

const count = (query: string) =>
  Effect.flatMap(SqlClient, (sql) => sql.unsafe<{ n: number | string | null }>(query)).pipe(
    Effect.map((rows) => Number(rows[0]?.n ?? 0)),
    Effect.orDie,
  )

/** Kills every connection to the database, as the death of the server process holding them would. */
const killConnections = (database: string) =>
  Effect.promise(() =>
    admin((sql) =>
      Effect.gen(function* () {
        const ids = yield* sql<{ id: number }>`SELECT ID AS id FROM information_schema.PROCESSLIST
          WHERE DB = ${database} AND ID <> CONNECTION_ID()`
        yield* Effect.forEach(ids, ({ id }) => Effect.ignore(sql.unsafe(`KILL CONNECTION ${Number(id)}`)), {
          discard: true,
        })
        return ids.length
      }),
    ),
  )

describeMysql("Durability: a server dying mid-load", () => {
  const db = useTestDatabase({ poolSize: 4 })

  it.live("leaves no half-written order, keeps stock, points and ledger consistent, and the outbox drains", () =>
    Effect.gen(function* () {
      const worldOn = (poolSize: number) =>
        mysqlWorld().pipe(Layer.provideMerge(mysqlClientLayer({ ...server, database: db.name, poolSize })))

      // The first server: seeds, then places orders until it is killed.
      const first = yield* Scope.make()
      const before = yield* Layer.buildWithScope(worldOn(16), first)
      const { product, users } = yield* Effect.gen(function* () {
        const product = yield* seedProduct({ price: 1_000, stock: 10_000 })
        const users = yield* Effect.forEach(
          Array.from({ length: 20 }, (_, i) => UserId.make(i + 1)),
          (user) =>
            Effect.gen(function* () {
              yield* (yield* PointWalletRepository).create(user, new Date(0))
              yield* (yield* PointService).charge({ userId: user, amount: 1_000_000 })
              return user
            }),
        )
        return { product, users }
      }).pipe(Effect.provide(before))
      const load = yield* Effect.fork(
        Effect.flatMap(OrderService, (orders) =>
          Effect.all(
            Array.from({ length: 2_000 }, (_, i) =>
              Effect.exit(
                orders.place({
                  userId: users[i % users.length]!,
                  items: [{ productId: product.id, quantity: (i % 3) + 1 }],
                  paymentType: "POINT",
                }),
              ),
            ),
            { concurrency: 64 },
          ),
        ).pipe(Effect.provide(before)),
      )
      while ((yield* count("SELECT COUNT(*) AS n FROM orders").pipe(Effect.provide(before))) < 40) {
        yield* Effect.sleep("20 millis")
      }
      const killed = yield* killConnections(db.name)
      yield* Fiber.interrupt(load)
      yield* Effect.ignore(Scope.close(first, Exit.void))
      expect(killed).toBeGreaterThan(0)

      // The restarted server finds every committed order whole and everything consistent.
      const after = worldOn(8)
      yield* Effect.gen(function* () {
        const orders = yield* count("SELECT COUNT(*) AS n FROM orders")
        expect(orders).toBeGreaterThanOrEqual(40)
        expect(orders).toBeLessThan(2_000)
        expect(
          yield* count(
            "SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_line l WHERE l.order_id = o.id)",
          ),
        ).toBe(0)
        expect(
          yield* count(
            "SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM payment p WHERE p.order_id = o.id)",
          ),
        ).toBe(0)
        expect(
          yield* count(
            "SELECT COUNT(*) AS n FROM payment p WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = p.order_id)",
          ),
        ).toBe(0)
        expect(
          yield* count(
            "SELECT COUNT(*) AS n FROM order_line l WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = l.order_id)",
          ),
        ).toBe(0)
        expect(yield* count("SELECT COUNT(*) AS n FROM orders WHERE status <> 'PAID'")).toBe(0)
        const sold = yield* count("SELECT SUM(quantity) AS n FROM order_line")
        expect(yield* count(`SELECT stock AS n FROM product WHERE id = ${product.id}`)).toBe(10_000 - sold)
        const paid = yield* count("SELECT SUM(paid_amount) AS n FROM orders")
        expect(yield* count("SELECT SUM(amount) AS n FROM point_ledger WHERE type = 'USE'")).toBe(paid)
        expect(yield* count("SELECT SUM(balance) AS n FROM point_wallet")).toBe(20 * 1_000_000 - paid)
        expect(
          yield* count(`SELECT COUNT(*) AS n FROM point_wallet w WHERE w.balance <> (SELECT
            SUM(CASE WHEN l.type = 'USE' THEN -CAST(l.amount AS SIGNED) ELSE CAST(l.amount AS SIGNED) END)
            FROM point_ledger l WHERE l.user_id = w.user_id)`),
        ).toBe(0)
        expect(yield* count("SELECT COUNT(*) AS n FROM outbox_event WHERE event_type = 'OrderPlaced'")).toBe(orders)

        const published: Array<DomainEvent> = []
        const relay = yield* makeOutboxRelay.pipe(
          Effect.provide(
            Layer.mergeAll(
              IdGeneratorUuid,
              Layer.succeed(
                EventPublisher,
                EventPublisher.of({ publish: (events) => Effect.sync(() => void published.push(...events)) }),
              ),
            ),
          ),
        )
        yield* relay.drain
        expect((yield* (yield* OutboxRelayStore).counts).pending).toBe(0)
        expect(published.filter((e) => e._tag === "OrderPlaced")).toHaveLength(orders)
      }).pipe(Effect.provide(after))
    }),
  )
})
