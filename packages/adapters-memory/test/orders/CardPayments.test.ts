import {
  CouponService,
  NEVER_REACHED,
  type OrderId,
  OrderRepository,
  OrderService,
  PaymentGateway,
  type PaymentRequest,
  REFUND_OWED,
  type ReconcileSummary,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Option, TestClock } from "effect"
import { OutboxTableMemory } from "../../src/EventOutboxMemory.js"
import { PaymentGatewayMemory } from "../../src/payments/PaymentGatewayMemory.js"
import { defaultGatewaySimulation, PaymentGatewaySimulator } from "../../src/payments/PaymentGatewaySimulated.js"
import { card, orderWorld, outboxEvents, seedCoupon, seedProduct, seedUser, stockOf, testPolicy } from "./OrderWorld.js"

/**
 * The simulated gateway behind a recorder: for each payment request, its callback URL and
 * whether the order's OrderPlaced event had been committed when the gateway was asked
 * (`committedPlacements` is filled in once the world is built).
 */
const recordingGateway = () => {
  const requests: Array<{ readonly callbackUrl: string; readonly orderCommitted: boolean }> = []
  const probe = { committedPlacements: (): ReadonlyArray<OrderId> => [] }
  const simulated = PaymentGatewayMemory({ ...defaultGatewaySimulation, declineRatio: 0 }, testPolicy)
  const recording = Layer.effect(
    PaymentGateway,
    Effect.map(PaymentGateway, (gateway) =>
      PaymentGateway.of({
        ...gateway,
        requestPayment: (request: PaymentRequest) =>
          Effect.suspend(() => {
            const orderCommitted = probe.committedPlacements().includes(request.orderId)
            requests.push({ callbackUrl: request.callbackUrl, orderCommitted })
            return gateway.requestPayment(request)
          }),
      }),
    ),
  ).pipe(Layer.provide(simulated))
  return { requests, probe, layer: Layer.merge(simulated, recording) }
}

const stored = (id: OrderId) => Effect.flatMap(OrderRepository, (r) => Effect.map(r.findById(id), Option.getOrThrow))
const summary = (counts: Partial<ReconcileSummary>): ReconcileSummary => {
  const buckets = { paid: 0, failed: 0, pending: 0, refunded: 0, cancelled: 0, ...counts }
  const examined = buckets.paid + buckets.failed + buckets.pending + buckets.refunded + buckets.cancelled
  return { examined, resent: 0, ...buckets }
}
const countOf = (tag: string) => Effect.map(outboxEvents, (events) => events.filter((e) => e._tag === tag).length)

/** Lets the simulated gateway settle and deliver its callbacks (latency 50 ms). */
const settle = TestClock.adjust("1 second")

const placeCard = (options: { withCoupon?: boolean; advance?: Duration.DurationInput } = {}) =>
  Effect.gen(function* () {
    const orders = yield* OrderService
    const user = yield* seedUser(1, 10_000)
    const p = yield* seedProduct({ price: 4_000, stock: 10 })
    const couponId = options.withCoupon ? yield* seedCoupon(user, "FIXED", 1_000) : undefined
    const placing = yield* Effect.fork(
      orders.place({ userId: user, items: [{ productId: p.id, quantity: 2 }], paymentType: "CARD", card, couponId }),
    )
    // Long enough for the client's retries when the gateway is down, shorter than its latency.
    yield* TestClock.adjust(options.advance ?? "10 millis")
    const record = yield* Fiber.join(placing)
    return { orders, user, product: p, record, couponId }
  })

describe("card payments", () => {
  it.effect("a CARD order waits for the gateway, then the callback pays it once", () =>
    Effect.gen(function* () {
      const { record, product } = yield* placeCard()
      expect(record.order.status).toBe("PENDING_PAYMENT")
      expect(record.payment).toMatchObject({ type: "CARD", status: "PENDING", amount: 8_000, attempts: 1 })
      expect(record.payment.transactionKey).toBeDefined()
      expect(yield* stockOf(product.id)).toBe(8)
      yield* settle
      const after = yield* stored(record.order.id)
      expect(after.order.status).toBe("PAID")
      expect(after.payment).toMatchObject({ status: "SUCCESS", transactionKey: record.payment.transactionKey })
      expect(yield* countOf("OrderPaid")).toBe(1)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a declined card fails the order and gives back stock and coupon", () =>
    Effect.gen(function* () {
      const { record, product, user } = yield* placeCard({ withCoupon: true })
      expect(record.order.paidAmount).toBe(7_000)
      yield* settle
      const after = yield* stored(record.order.id)
      expect(after.order.status).toBe("PAYMENT_FAILED")
      expect(after.payment).toMatchObject({ status: "FAILED", reason: "card declined" })
      expect(yield* stockOf(product.id)).toBe(10)
      expect((yield* (yield* CouponService).listMine(user)).map((c) => c.status)).toEqual(["AVAILABLE"])
      expect([
        yield* countOf("PaymentFailed"),
        yield* countOf("StockRestored"),
        yield* countOf("CouponRestored"),
      ]).toEqual([1, 1, 1])
    }).pipe(Effect.provide(orderWorld({ declineRatio: 1 }))),
  )

  it.effect("duplicate callbacks apply once", () =>
    Effect.gen(function* () {
      const { record, orders } = yield* placeCard()
      yield* settle
      const key = record.payment.transactionKey ?? ""
      for (let i = 0; i < 5; i++) {
        yield* orders.handleCallback({ transactionKey: key, orderId: record.order.id, status: "SUCCESS" })
      }
      expect((yield* PaymentGatewaySimulator.pipe(Effect.flatMap((s) => s.stats))).delivered).toBe(2)
      expect(yield* countOf("OrderPaid")).toBe(1)
      expect((yield* stored(record.order.id)).order.history.map((h) => h.status)).toEqual(["PENDING_PAYMENT", "PAID"])
    }).pipe(Effect.provide(orderWorld({ duplicateCallbackRatio: 1 }))),
  )

  it.effect("a callback is only a hint: a forged status or unknown key changes nothing", () =>
    Effect.gen(function* () {
      const { record, orders } = yield* placeCard()
      const key = record.payment.transactionKey ?? ""
      // The gateway still says PENDING: a claimed FAILED must not fail the order.
      const payment = yield* orders.handleCallback({ transactionKey: key, orderId: record.order.id, status: "FAILED" })
      expect(payment.status).toBe("PENDING")
      const unknown = yield* Effect.flip(
        orders.handleCallback({ transactionKey: "TR-forged", orderId: record.order.id, status: "SUCCESS" }),
      )
      expect(unknown.code).toBe("PAYMENT_TRANSACTION_MISMATCH")
      const missing = yield* Effect.flip(
        orders.handleCallback({ transactionKey: key, orderId: 999 as OrderId, status: "SUCCESS" }),
      )
      expect(missing.code).toBe("ORDER_NOT_FOUND")
      expect((yield* stored(record.order.id)).order.status).toBe("PENDING_PAYMENT")
    }).pipe(Effect.provide(orderWorld({ lostCallbackRatio: 1 }))),
  )

  it.effect("a lost callback is settled by reconciliation, and by the owner's sync", () =>
    Effect.gen(function* () {
      const first = yield* placeCard()
      yield* settle
      expect((yield* stored(first.record.order.id)).order.status).toBe("PENDING_PAYMENT")
      const stranger = yield* Effect.flip(first.orders.syncPayment(999 as never, first.record.order.id))
      expect(stranger.code).toBe("ORDER_NOT_FOUND")
      const synced = yield* first.orders.syncPayment(first.user, first.record.order.id)
      expect(synced.status).toBe("SUCCESS")
      const p = yield* seedProduct({ price: 1_000, stock: 1 })
      const second = yield* Effect.fork(
        first.orders.place({
          userId: first.user,
          items: [{ productId: p.id, quantity: 1 }],
          paymentType: "CARD",
          card,
        }),
      )
      yield* TestClock.adjust("10 millis")
      const secondRecord = yield* Fiber.join(second)
      yield* settle
      expect(yield* first.orders.reconcilePending({ olderThan: "0 millis" })).toEqual(summary({ paid: 1 }))
      expect((yield* stored(secondRecord.order.id)).order.status).toBe("PAID")
      expect(yield* countOf("OrderPaid")).toBe(2)
    }).pipe(Effect.provide(orderWorld({ lostCallbackRatio: 1 }))),
  )

  it.effect("gateway down at checkout: the order stays pending, then reconciliation sends it once and settles it", () =>
    Effect.gen(function* () {
      const simulator = yield* PaymentGatewaySimulator
      yield* simulator.setDown(true)
      const { record, orders } = yield* placeCard({ advance: "1 second" })
      expect(record.order.status).toBe("PENDING_PAYMENT")
      expect(record.payment.transactionKey).toBeUndefined()
      expect(yield* simulator.transactions).toHaveLength(0)
      // Not yet due: reconciliation leaves recent payments alone.
      expect((yield* orders.reconcilePending({ olderThan: "1 minute" })).examined).toBe(0)
      yield* simulator.setDown(false)
      yield* TestClock.adjust("2 minutes")
      const resend = yield* Effect.fork(orders.reconcilePending({ olderThan: "1 minute" }))
      yield* TestClock.adjust("10 millis")
      expect(yield* Fiber.join(resend)).toEqual(summary({ pending: 1, resent: 1 }))
      yield* settle
      expect((yield* stored(record.order.id)).order.status).toBe("PAID")
      expect(yield* simulator.transactions).toHaveLength(1)
      const again = yield* orders.reconcilePending({ olderThan: "0 millis" })
      expect(again.examined).toBe(0)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a payment the gateway never received fails after its attempts and releases everything", () =>
    Effect.gen(function* () {
      const simulator = yield* PaymentGatewaySimulator
      yield* simulator.setDown(true)
      const { record, orders, product } = yield* placeCard({ withCoupon: true, advance: "1 second" })
      for (let round = 0; round < 3; round++) {
        yield* TestClock.adjust("2 minutes")
        const run = yield* Effect.fork(orders.reconcilePending({ olderThan: "1 minute" }))
        yield* TestClock.adjust("1 second")
        yield* Fiber.join(run)
      }
      // Down throughout: the gateway could not even be asked, so nothing was decided.
      expect((yield* stored(record.order.id)).order.status).toBe("PENDING_PAYMENT")
      yield* simulator.setDown(false)
      // Up, but the request got lost: an order whose attempts ran out fails.
      const repo = yield* OrderRepository
      const now = (yield* stored(record.order.id)).payment
      yield* repo.claimPaymentAttempt(record.order.id, now.attempts, new Date(0))
      yield* repo.claimPaymentAttempt(record.order.id, now.attempts + 1, new Date(0))
      expect(yield* orders.reconcilePending({ olderThan: "1 minute" })).toEqual(summary({ failed: 1 }))
      const after = yield* stored(record.order.id)
      expect(after.order.status).toBe("PAYMENT_FAILED")
      expect(after.payment.reason).toBe(NEVER_REACHED)
      expect(yield* stockOf(product.id)).toBe(10)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("cancelling a pending CARD order releases it; a charge that lands later is recorded as a refund owed", () =>
    Effect.gen(function* () {
      const { record, orders, product, user } = yield* placeCard()
      const cancelled = yield* orders.cancel(user, record.order.id)
      expect(cancelled.order.status).toBe("CANCELLED")
      // The request is at the gateway already: the payment waits for its answer.
      expect(cancelled.payment.status).toBe("PENDING")
      expect([cancelled.payment.card, cancelled.payment.maskedCard?.cardNo]).toEqual([undefined, "****-****-****-3456"])
      expect(yield* stockOf(product.id)).toBe(10)
      yield* settle
      const after = yield* stored(record.order.id)
      expect(after.order.status).toBe("CANCELLED")
      expect(after.payment).toMatchObject({ status: "REFUNDED", reason: REFUND_OWED })
      expect(yield* stockOf(product.id)).toBe(10)
      expect(yield* countOf("OrderPaid")).toBe(0)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a cancelled CARD order whose card is declined closes its payment as CANCELLED", () =>
    Effect.gen(function* () {
      const { record, orders, product, user } = yield* placeCard()
      yield* orders.cancel(user, record.order.id)
      yield* settle
      const after = yield* stored(record.order.id)
      expect([after.order.status, after.payment.status]).toEqual(["CANCELLED", "CANCELLED"])
      expect(yield* stockOf(product.id)).toBe(10)
      expect(yield* countOf("PaymentFailed")).toBe(0)
      expect(yield* countOf("StockRestored")).toBe(1)
    }).pipe(Effect.provide(orderWorld({ declineRatio: 1 }))),
  )

  it.effect("reconciliation closes cancelled CARD orders: charged -> REFUNDED, never received -> CANCELLED", () =>
    Effect.gen(function* () {
      const simulator = yield* PaymentGatewaySimulator
      const charged = yield* placeCard()
      yield* charged.orders.cancel(charged.user, charged.record.order.id)
      yield* simulator.setDown(true)
      const p = yield* seedProduct({ price: 1_000, stock: 3 })
      const unreachedFiber = yield* Effect.fork(
        charged.orders.place({
          userId: charged.user,
          items: [{ productId: p.id, quantity: 1 }],
          paymentType: "CARD",
          card,
        }),
      )
      yield* TestClock.adjust("1 second")
      const unreached = yield* Fiber.join(unreachedFiber)
      expect(unreached.payment.card?.cardNo).toBe(card.cardNo)
      const cancelledUnreached = yield* charged.orders.cancel(charged.user, unreached.order.id)
      // Never requested again, so the full number goes at once.
      expect(cancelledUnreached.payment.card).toBeUndefined()
      expect((yield* stored(unreached.order.id)).payment.card).toBeUndefined()
      yield* simulator.setDown(false)
      // Within the registration window the unreached request might still land: nothing is concluded.
      expect(yield* charged.orders.reconcilePending({ olderThan: "0 millis" })).toEqual(
        summary({ refunded: 1, pending: 1 }),
      )
      yield* TestClock.adjust("1 minute")
      expect(yield* charged.orders.reconcilePending({ olderThan: "0 millis" })).toEqual(summary({ cancelled: 1 }))
      expect((yield* stored(charged.record.order.id)).payment.status).toBe("REFUNDED")
      expect((yield* stored(unreached.order.id)).payment).toMatchObject({
        status: "CANCELLED",
        reason: NEVER_REACHED,
      })
      expect(yield* simulator.transactions).toHaveLength(1)
      expect(yield* stockOf(p.id)).toBe(3)
    }).pipe(Effect.provide(orderWorld({ lostCallbackRatio: 1 }))),
  )

  it.effect(
    "with the gateway down the circuit opens: later checkouts fail fast and stay pending until it recovers",
    () =>
      Effect.gen(function* () {
        const simulator = yield* PaymentGatewaySimulator
        yield* simulator.setDown(true)
        const first = yield* placeCard({ advance: "1 second" })
        // The circuit is open now: this checkout needs no backoff sleeps, so it ends without the clock moving.
        const p = yield* seedProduct({ price: 1_000, stock: 5 })
        const second = yield* first.orders.place({
          userId: first.user,
          items: [{ productId: p.id, quantity: 1 }],
          paymentType: "CARD",
          card,
        })
        expect([second.order.status, second.payment.transactionKey]).toEqual(["PENDING_PAYMENT", undefined])
        yield* simulator.setDown(false)
        yield* TestClock.adjust("2 minutes")
        // Half-open lets a single trial through: one run resends what the trial allows, the next the rest.
        let resent = 0
        for (let round = 0; round < 2; round++) {
          const run = yield* Effect.fork(first.orders.reconcilePending({ olderThan: "1 minute" }))
          yield* TestClock.adjust("1 second")
          resent += (yield* Fiber.join(run)).resent
        }
        expect(resent).toBe(2)
        expect((yield* stored(first.record.order.id)).order.status).toBe("PAID")
        expect((yield* stored(second.order.id)).order.status).toBe("PAID")
        expect(yield* simulator.transactions).toHaveLength(2)
      }).pipe(
        Effect.provide(orderWorld({}, { ...testPolicy, failureThreshold: 3, resetTimeout: Duration.seconds(30) })),
      ),
  )

  it.effect("the gateway is asked only once the order is committed, with the configured callback URL", () => {
    const recorder = recordingGateway()
    const callbackUrl = "https://shop.example.com/hooks/payments"
    return Effect.gen(function* () {
      const outbox = yield* OutboxTableMemory
      // the committed rows only: what another connection would see
      recorder.probe.committedPlacements = () =>
        Array.from(outbox.committed.values()).flatMap((row) =>
          row.event._tag === "OrderPlaced" ? [row.event.orderId] : [],
        )
      const { record } = yield* placeCard()
      expect(recorder.requests).toEqual([{ callbackUrl, orderCommitted: true }])
      expect(record.payment.transactionKey).toBeDefined()
    }).pipe(Effect.provide(orderWorld({}, testPolicy, { callbackUrl }, recorder.layer)))
  })
})
