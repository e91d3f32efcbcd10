import { NEVER_REACHED, type OrderId, OrderRepository, OrderService, REFUND_OWED } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock } from "effect"
import { PaymentGatewaySimulator } from "../../src/payments/PaymentGatewaySimulated.js"
import { card, extraCharge, orderWorld, outboxEvents, redeliver, seedProduct, seedUser, stockOf } from "./OrderWorld.js"

const stored = (id: OrderId) => Effect.flatMap(OrderRepository, (r) => Effect.map(r.findById(id), Option.getOrThrow))
const countOf = (tag: string) => Effect.map(outboxEvents, (events) => events.filter((e) => e._tag === tag).length)
const settle = TestClock.adjust("1 second")

const placeWhileDown = Effect.gen(function* () {
  const simulator = yield* PaymentGatewaySimulator
  const orders = yield* OrderService
  yield* simulator.setDown(true)
  const user = yield* seedUser(1, 10_000)
  const product = yield* seedProduct({ price: 4_000, stock: 10 })
  const placing = yield* Effect.fork(
    orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "CARD", card }),
  )
  yield* TestClock.adjust("1 second")
  const record = yield* Fiber.join(placing)
  yield* simulator.setDown(false)
  return { orders, user, product, record }
})

describe("charges that paid nothing are owed back, never dropped", () => {
  it.effect("a charge landing after the order failed as never reached: the payment becomes REFUNDED, once", () =>
    Effect.gen(function* () {
      const { orders, product, record } = yield* placeWhileDown
      const repo = yield* OrderRepository
      const id = record.order.id
      // Attempts used up: reconciliation, once the registration window passed, fails the order.
      yield* repo.claimPaymentAttempt(id, 1, new Date(0))
      yield* repo.claimPaymentAttempt(id, 2, new Date(0))
      yield* TestClock.adjust("2 minutes")
      yield* orders.reconcilePending({ olderThan: "1 minute" })
      const failed = yield* stored(id)
      expect([failed.order.status, failed.payment.status, failed.payment.reason]).toEqual([
        "PAYMENT_FAILED",
        "FAILED",
        NEVER_REACHED,
      ])
      expect(yield* stockOf(product.id)).toBe(10)
      // The last request reaches the gateway after all and is charged; its callback arrives.
      const late = yield* extraCharge(id, record.payment.amount)
      yield* settle
      const after = yield* stored(id)
      expect(after.order.status).toBe("PAYMENT_FAILED")
      expect(after.payment).toMatchObject({
        status: "REFUNDED",
        reason: REFUND_OWED,
        transactionKey: late.transactionKey,
      })
      expect(after.payment.refundsOwed).toBeUndefined()
      // Redelivered callbacks change nothing more; nothing else moves.
      yield* redeliver(id)
      expect((yield* stored(id)).payment).toEqual(after.payment)
      expect(yield* stockOf(product.id)).toBe(10)
      expect([yield* countOf("OrderPaid"), yield* countOf("PaymentFailed"), yield* countOf("StockRestored")]).toEqual([
        0, 1, 1,
      ])
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a charge landing after a cancelled order's payment was closed as never reached: REFUNDED", () =>
    Effect.gen(function* () {
      const { orders, user, record } = yield* placeWhileDown
      const id = record.order.id
      yield* orders.cancel(user, id)
      yield* TestClock.adjust("2 minutes")
      expect((yield* orders.reconcilePending({ olderThan: "1 minute" })).cancelled).toBe(1)
      expect((yield* stored(id)).payment).toMatchObject({ status: "CANCELLED", reason: NEVER_REACHED })
      const late = yield* extraCharge(id, record.payment.amount)
      yield* settle
      expect((yield* stored(id)).payment).toMatchObject({
        status: "REFUNDED",
        reason: REFUND_OWED,
        transactionKey: late.transactionKey,
      })
      expect((yield* stored(id)).order.status).toBe("CANCELLED")
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a second charge of a paid order is recorded as owed back; the order stays paid once", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 10_000)
      const product = yield* seedProduct({ price: 4_000, stock: 10 })
      const placing = yield* Effect.fork(
        orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "CARD", card }),
      )
      yield* TestClock.adjust("10 millis")
      const record = yield* Fiber.join(placing)
      yield* settle
      const paid = yield* stored(record.order.id)
      expect([paid.order.status, paid.payment.status]).toEqual(["PAID", "SUCCESS"])
      const second = yield* extraCharge(record.order.id, record.payment.amount)
      const third = yield* extraCharge(record.order.id, record.payment.amount)
      yield* settle
      const after = yield* stored(record.order.id)
      expect(after.order.status).toBe("PAID")
      expect(after.payment).toMatchObject({ status: "SUCCESS", transactionKey: paid.payment.transactionKey })
      expect([...(after.payment.refundsOwed ?? [])].sort()).toEqual(
        [second.transactionKey, third.transactionKey].sort(),
      )
      yield* redeliver(record.order.id)
      expect((yield* stored(record.order.id)).payment).toEqual(after.payment)
      expect(yield* countOf("OrderPaid")).toBe(1)
      // Cancelling afterwards refunds the paying charge; the extra ones stay owed.
      const cancelled = yield* orders.cancel(user, record.order.id)
      expect(cancelled.payment).toMatchObject({ status: "REFUNDED", refundsOwed: after.payment.refundsOwed })
      const fourth = yield* extraCharge(record.order.id, record.payment.amount)
      yield* settle
      expect((yield* stored(record.order.id)).payment.refundsOwed).toEqual([
        ...(after.payment.refundsOwed ?? []),
        fourth.transactionKey,
      ])
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("within the registration window nothing is concluded: no resend, no failure, no close", () =>
    Effect.gen(function* () {
      const simulator = yield* PaymentGatewaySimulator
      const { orders, user, product, record } = yield* placeWhileDown
      const repo = yield* OrderRepository
      yield* simulator.setDown(true)
      const placing = yield* Effect.fork(
        orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "CARD", card }),
      )
      yield* TestClock.adjust("1 second")
      const other = yield* Fiber.join(placing)
      yield* simulator.setDown(false)
      yield* orders.cancel(user, other.order.id)
      // The first order's attempts are used up, the last one just now: after the window it fails.
      yield* repo.claimPaymentAttempt(record.order.id, 1, new Date(0))
      yield* repo.claimPaymentAttempt(record.order.id, 2, new Date(yield* TestClock.currentTimeMillis))
      yield* TestClock.adjust("10 seconds")
      const early = yield* orders.reconcilePending({ olderThan: "0 millis" })
      expect(early).toMatchObject({ examined: 2, pending: 2, resent: 0, failed: 0, cancelled: 0 })
      expect((yield* simulator.stats).requests).toBe(0)
      yield* TestClock.adjust("30 seconds")
      const late = yield* orders.reconcilePending({ olderThan: "0 millis" })
      expect(late).toMatchObject({ examined: 2, failed: 1, cancelled: 1, pending: 0, resent: 0 })
      expect((yield* stored(record.order.id)).order.status).toBe("PAYMENT_FAILED")
      expect((yield* stored(other.order.id)).payment.status).toBe("CANCELLED")
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a request whose answer was lost is found, not resent; one registering late is awaited", () =>
    Effect.gen(function* () {
      const simulator = yield* PaymentGatewaySimulator
      const orders = yield* OrderService
      const user = yield* seedUser(1, 10_000)
      const product = yield* seedProduct({ price: 4_000, stock: 10 })
      const placing = yield* Effect.fork(
        orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "CARD", card }),
      )
      yield* TestClock.adjust("1 second")
      const record = yield* Fiber.join(placing)
      expect(record.payment.transactionKey).toBeUndefined()
      expect(record.payment.card).toBeDefined()
      // Every answer is lost; registrations land up to 20 s late.
      expect((yield* simulator.stats).responsesLost).toBeGreaterThan(0)
      yield* TestClock.adjust("25 seconds")
      const registered = (yield* simulator.transactions).length
      expect(registered).toBeGreaterThan(0)
      yield* TestClock.adjust("1 minute")
      for (let round = 0; round < 3; round++) {
        const run = yield* Effect.fork(orders.reconcilePending({ olderThan: "0 millis" }))
        yield* TestClock.adjust("1 minute")
        yield* Fiber.join(run)
      }
      // No resend (the window passed only after the requests were found), each charge accounted for.
      const transactions = yield* simulator.transactions
      expect(transactions).toHaveLength(registered)
      const after = yield* stored(record.order.id)
      expect(after.order.status).toBe("PAID")
      expect(after.payment.card).toBeUndefined()
      const recorded = [after.payment.transactionKey, ...(after.payment.refundsOwed ?? [])].sort()
      expect(recorded).toEqual(transactions.map((t) => t.transactionKey).sort())
    }).pipe(
      Effect.provide(orderWorld({ responseLostRatio: 1, registrationDelay: "20 seconds", lostCallbackRatio: 1 })),
    ),
  )
})
