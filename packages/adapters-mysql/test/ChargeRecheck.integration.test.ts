import {
  ChargeRecheck,
  ChargeRecheckLive,
  GatewayTransaction,
  Money,
  type OrderId,
  OrderRepository,
  OrderService,
  PaymentGateway,
  PointWalletRepository,
  UserId,
} from "@commerce-core/domain"
import { it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { expect } from "vitest"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { mysqlWorld, seedProduct } from "./support/MysqlWorld.js"

const ORDERS = 40
const AMOUNT = 1_000
const card = { cardType: "SAMSUNG", cardNo: "1234-5678-9012-3456" } as const
const keyOf = (orderId: OrderId, n: number) => `TR-${orderId}-${n}`

/**
 * A gateway whose transactions the test writes: a request registers `TR-<order>-1` PENDING;
 * the test settles it and adds further charges of the order.
 */
const scriptedGateway = () => {
  const byOrder = new Map<OrderId, Array<GatewayTransaction>>()
  const put = (orderId: OrderId, n: number, status: "PENDING" | "SUCCESS") => {
    const transaction = new GatewayTransaction({
      transactionKey: keyOf(orderId, n),
      orderId,
      amount: Money.make(AMOUNT),
      status,
    })
    const others = (byOrder.get(orderId) ?? []).filter((t) => t.transactionKey !== transaction.transactionKey)
    byOrder.set(
      orderId,
      [...others, transaction].sort((a, b) => a.transactionKey.localeCompare(b.transactionKey)),
    )
    return transaction
  }
  const layer = Layer.succeed(
    PaymentGateway,
    PaymentGateway.of({
      requestPayment: (request) => Effect.sync(() => put(request.orderId, 1, "PENDING")),
      getTransaction: (key) =>
        Effect.sync(() => Option.fromNullable([...byOrder.values()].flat().find((t) => t.transactionKey === key))),
      listTransactions: (orderId) => Effect.sync(() => byOrder.get(orderId) ?? []),
    }),
  )
  return { put, layer }
}

const worldWith = (gateway: Layer.Layer<PaymentGateway>) =>
  ChargeRecheckLive.pipe(Layer.provideMerge(mysqlWorld(gateway)))

describeMysql("charge recheck on MariaDB", () => {
  const db = useTestDatabase({ poolSize: 24 })
  const gateway = scriptedGateway()

  it.live(
    "sweeps racing callbacks of other extra charges of the same paid orders: every charge recorded exactly once",
    () =>
      Effect.gen(function* () {
        const orders = yield* OrderService
        const recheck = yield* ChargeRecheck
        const repo = yield* OrderRepository
        const user = UserId.make(1)
        yield* (yield* PointWalletRepository).create(user, new Date(0))
        const product = yield* seedProduct({ price: AMOUNT, stock: ORDERS })
        const placed = yield* Effect.all(
          Array.from({ length: ORDERS }, () =>
            orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "CARD", card }),
          ),
          { concurrency: 16 },
        )
        const ids = placed.map((r) => r.order.id)
        yield* Effect.forEach(
          ids,
          (id) => {
            gateway.put(id, 1, "SUCCESS")
            return orders.handleCallback({ transactionKey: keyOf(id, 1), orderId: id, status: "SUCCESS" })
          },
          { concurrency: 8 },
        )
        // Three more charges each: two have their callbacks delivered during the sweeps, one lost.
        for (const id of ids) for (const n of [2, 3, 4]) gateway.put(id, n, "SUCCESS")
        const sweeps: Array<number> = []
        yield* Effect.all(
          [
            ...ids.flatMap((orderId, i) =>
              [2, 3].map((n) =>
                Effect.delay(
                  orders.handleCallback({ transactionKey: keyOf(orderId, n), orderId, status: "SUCCESS" }),
                  `${(i * 5 + n * 3) % 200} millis`,
                ),
              ),
            ),
            ...Array.from({ length: 4 }, (_, i) =>
              Effect.delay(
                Effect.map(recheck.recheckSettled({ lookBack: "1 hour", batchSize: 10 }), (s) => {
                  sweeps.push(s.recorded)
                  expect(s.skipped).toBe(0)
                }),
                `${i * 30} millis`,
              ),
            ),
          ],
          { concurrency: "unbounded", discard: true },
        )
        for (const id of ids) {
          const payment = Option.getOrThrow(yield* repo.findById(id)).payment
          expect([payment.status, payment.transactionKey]).toEqual(["SUCCESS", keyOf(id, 1)])
          expect([...(payment.refundsOwed ?? [])].sort()).toEqual([keyOf(id, 2), keyOf(id, 3), keyOf(id, 4)])
        }
        // The lost charge of every order was found by a sweep; sweeping again records nothing.
        expect(sweeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(ORDERS)
        expect(yield* recheck.recheckSettled({ lookBack: "1 hour", batchSize: 7 })).toEqual({
          examined: ORDERS,
          recorded: 0,
          skipped: 0,
        })
      }).pipe(Effect.provide(db.fresh(worldWith(gateway.layer)))),
    60_000,
  )
})
