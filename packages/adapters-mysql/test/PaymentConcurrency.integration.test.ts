import {
  CardPaymentConfig,
  defaultCardPaymentSettings,
  GatewayTransaction,
  Money,
  type OrderId,
  OrderRepository,
  OrderService,
  PaymentGateway,
  PaymentGatewayUnavailable,
  PointWalletRepository,
  UserId,
} from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Duration, Effect, Layer, Option } from "effect"
import { expect } from "vitest"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { mysqlWorld, seedProduct } from "./support/MysqlWorld.js"

const ORDERS = 120
const AMOUNT = 1_000
const card = { cardType: "SAMSUNG", cardNo: "1234-5678-9012-3456" } as const
const keyOf = (orderId: OrderId) => `TR-${orderId}`
const transaction = (orderId: OrderId, status: "PENDING" | "SUCCESS", transactionKey = keyOf(orderId)) =>
  new GatewayTransaction({ transactionKey, orderId, amount: Money.make(AMOUNT), status })

/**
 * A gateway whose answers are scripted per test: requests never get through (orders stay
 * pending with no key), `listTransactions` and `getTransaction` answer as told, so two
 * settlement paths of one order can be raced with different views of the same transaction.
 */
const scriptedGateway = (script: {
  readonly list: (orderId: OrderId) => ReadonlyArray<GatewayTransaction>
  readonly get: (key: string) => Option.Option<GatewayTransaction>
}) =>
  Layer.succeed(
    PaymentGateway,
    PaymentGateway.of({
      requestPayment: () => Effect.fail(new PaymentGatewayUnavailable({ reason: "scripted: unreachable" })),
      getTransaction: (key) => Effect.succeed(script.get(key)),
      listTransactions: (orderId) => Effect.succeed(script.list(orderId)),
    }),
  )

const orderIdOf = (key: string) => Number(key.slice(3).split("-")[0]) as OrderId

/** The domain's services on MySQL with the given gateway, and no registration window. */
const worldWith = (gateway: Layer.Layer<PaymentGateway>) =>
  mysqlWorld(gateway).pipe(
    Layer.provide(
      Layer.succeed(CardPaymentConfig, { ...defaultCardPaymentSettings, registrationWindow: Duration.zero }),
    ),
  )

const placePendingCardOrders = Effect.gen(function* () {
  const orders = yield* OrderService
  const user = UserId.make(1)
  yield* (yield* PointWalletRepository).create(user, new Date(0))
  const product = yield* seedProduct({ price: AMOUNT, stock: ORDERS })
  const placed = yield* Effect.all(
    Array.from({ length: ORDERS }, () =>
      orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "CARD", card }),
    ),
    { concurrency: 16 },
  )
  for (const record of placed)
    expect([record.order.status, record.payment.transactionKey]).toEqual(["PENDING_PAYMENT", undefined])
  return { orders, user, ids: placed.map((r) => r.order.id) }
})

const recordsOf = (ids: ReadonlyArray<OrderId>) =>
  Effect.flatMap(OrderRepository, (repo) =>
    Effect.forEach(ids, (id) => Effect.map(repo.findById(id), Option.getOrThrow)),
  )

const countRows = (query: string) =>
  Effect.flatMap(SqlClient, (sql) => sql.unsafe<{ n: number }>(query)).pipe(Effect.map((rows) => Number(rows[0]?.n)))

describeMysql("payment writes under real concurrency (MariaDB)", () => {
  const db = useTestDatabase({ poolSize: 24 })

  it.live(
    "a SUCCESS callback racing a sync that sees the same transaction PENDING: every order ends PAID and SUCCESS",
    () =>
      Effect.gen(function* () {
        const { orders, user, ids } = yield* placePendingCardOrders
        yield* Effect.all(
          ids.flatMap((orderId) => [
            orders.handleCallback({ transactionKey: keyOf(orderId), orderId, status: "SUCCESS" }),
            orders.syncPayment(user, orderId),
          ]),
          { concurrency: "unbounded", discard: true },
        )
        for (const record of yield* recordsOf(ids)) {
          expect([record.order.status, record.payment.status, record.payment.transactionKey]).toEqual([
            "PAID",
            "SUCCESS",
            keyOf(record.order.id),
          ])
          // Accepted: the full card number is gone, the masked one stays.
          expect(record.payment.card).toBeUndefined()
          expect(record.payment.maskedCard?.cardNo).toBe("****-****-****-3456")
        }
        expect(yield* countRows("SELECT COUNT(*) AS n FROM outbox_event WHERE event_type = 'OrderPaid'")).toBe(ORDERS)
        expect(yield* countRows("SELECT COUNT(*) AS n FROM payment WHERE card_no NOT LIKE '****%'")).toBe(0)
      }).pipe(
        Effect.provide(
          db.fresh(
            worldWith(
              scriptedGateway({
                list: (orderId) => [transaction(orderId, "PENDING")],
                get: (key) => Option.some(transaction(orderIdOf(key), "SUCCESS")),
              }),
            ),
          ),
        ),
      ),
    60_000,
  )

  it.live(
    "closing a cancelled order's payment as never reached, racing a late charge's callback: every payment REFUNDED",
    () =>
      Effect.gen(function* () {
        const { orders, user, ids } = yield* placePendingCardOrders
        for (const orderId of ids) yield* orders.cancel(user, orderId)
        yield* Effect.all(
          [
            // Spread over the reconcilers' run, so that callbacks land between their reads and writes.
            ...ids.map((orderId, i) =>
              Effect.delay(
                orders.handleCallback({ transactionKey: keyOf(orderId), orderId, status: "SUCCESS" }),
                Duration.millis((i * 7) % 400),
              ),
            ),
            ...Array.from({ length: 8 }, (_, i) =>
              Effect.delay(orders.reconcilePending({ olderThan: "0 millis", limit: ORDERS }), Duration.millis(i * 40)),
            ),
          ],
          { concurrency: "unbounded", discard: true },
        )
        for (const record of yield* recordsOf(ids)) {
          expect([record.order.status, record.payment.status, record.payment.transactionKey]).toEqual([
            "CANCELLED",
            "REFUNDED",
            keyOf(record.order.id),
          ])
        }
      }).pipe(
        Effect.provide(
          db.fresh(
            worldWith(
              scriptedGateway({ list: () => [], get: (key) => Option.some(transaction(orderIdOf(key), "SUCCESS")) }),
            ),
          ),
        ),
      ),
    60_000,
  )

  it.live(
    "a cancel racing a claim of the next attempt never writes a stale attempt count back",
    () =>
      Effect.gen(function* () {
        const { orders, user, ids } = yield* placePendingCardOrders
        const repo = yield* OrderRepository
        const claims = yield* Effect.all(
          ids.flatMap((orderId) => [
            Effect.as(orders.cancel(user, orderId), false),
            repo.claimPaymentAttempt(orderId, 1, new Date()),
          ]),
          { concurrency: "unbounded" },
        )
        const records = yield* recordsOf(ids)
        for (const [i, record] of records.entries()) {
          expect(record.order.status).toBe("CANCELLED")
          expect(record.payment.status).toBe("PENDING")
          expect(record.payment.attempts).toBe(claims[2 * i + 1] ? 2 : 1)
        }
        expect(claims.filter(Boolean).length).toBe(ORDERS)
      }).pipe(Effect.provide(db.fresh(worldWith(scriptedGateway({ list: () => [], get: () => Option.none() }))))),
    60_000,
  )

  it.live(
    "late charges with distinct keys racing on paid orders: every one is recorded as owed, none twice",
    () =>
      Effect.gen(function* () {
        const { orders, ids } = yield* placePendingCardOrders
        const paying = ids.slice(0, 40)
        yield* Effect.all(
          paying.map((orderId) =>
            orders.handleCallback({ transactionKey: keyOf(orderId), orderId, status: "SUCCESS" }),
          ),
          { concurrency: 16, discard: true },
        )
        const late = (orderId: OrderId) => [1, 2, 3, 4].map((n) => `${keyOf(orderId)}-${n}`)
        // Each late key twice: a redelivered callback must not owe the refund twice.
        yield* Effect.all(
          paying.flatMap((orderId) =>
            [...late(orderId), ...late(orderId)].map((transactionKey) =>
              orders.handleCallback({ transactionKey, orderId, status: "SUCCESS" }),
            ),
          ),
          { concurrency: "unbounded", discard: true },
        )
        for (const record of yield* recordsOf(paying)) {
          expect([record.order.status, record.payment.status, record.payment.transactionKey]).toEqual([
            "PAID",
            "SUCCESS",
            keyOf(record.order.id),
          ])
          expect([...(record.payment.refundsOwed ?? [])].sort()).toEqual(late(record.order.id))
        }
      }).pipe(
        Effect.provide(
          db.fresh(
            worldWith(
              scriptedGateway({
                list: () => [],
                get: (key) => Option.some(transaction(orderIdOf(key), "SUCCESS", key)),
              }),
            ),
          ),
        ),
      ),
    60_000,
  )
})
