import {
  ChargeRecheck,
  ChargeRecheckLive,
  type GatewayPolicy,
  NEVER_REACHED,
  type OrderId,
  OrderRepository,
  OrderService,
  PaymentGateway,
  PaymentGatewayResilient,
  PaymentReconciliationJob,
  REFUND_OWED,
  type RecheckOptions,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Fiber, Layer, Option, TestClock } from "effect"
import {
  defaultGatewaySimulation,
  type GatewaySimulation,
  PaymentGatewaySimulated,
  PaymentGatewaySimulator,
} from "../../src/payments/PaymentGatewaySimulated.js"
import { card, extraCharge, orderWorld, outboxEvents, redeliver, seedProduct, seedUser } from "./OrderWorld.js"

const stored = (id: OrderId) => Effect.flatMap(OrderRepository, (r) => Effect.map(r.findById(id), Option.getOrThrow))
const countOf = (tag: string) => Effect.map(outboxEvents, (events) => events.filter((e) => e._tag === tag).length)
const settle = TestClock.adjust("1 second")
const window: RecheckOptions = { lookBack: "1 hour", batchSize: 2 }
const sweep = (options: RecheckOptions = window) => Effect.flatMap(ChargeRecheck, (c) => c.recheckSettled(options))

/** A sweep that may wait on the policy's backoff: the clock is moved while it runs. */
const sweepAdvancing = (options: RecheckOptions = window) =>
  Effect.gen(function* () {
    const running = yield* Effect.fork(sweep(options))
    yield* TestClock.adjust("5 seconds")
    return yield* Fiber.join(running)
  })

/** A CARD order settled at the gateway and applied (by its callback, else by reconciliation). */
const paidOrder = (userNo = 1) =>
  Effect.gen(function* () {
    const orders = yield* OrderService
    const user = yield* seedUser(userNo, 10_000)
    const product = yield* seedProduct({ price: 4_000, stock: 100 })
    const placing = yield* Effect.fork(
      orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "CARD", card }),
    )
    yield* TestClock.adjust("10 millis")
    const record = yield* Fiber.join(placing)
    yield* settle
    yield* orders.reconcilePending({ olderThan: "0 millis" })
    const paid = yield* stored(record.order.id)
    expect([paid.order.status, paid.payment.status]).toEqual(["PAID", "SUCCESS"])
    return { orders, user, product, record: paid }
  })

const withRecheck = (world: ReturnType<typeof orderWorld>) => ChargeRecheckLive.pipe(Layer.provideMerge(world))

describe("charge recheck", () => {
  it.effect("a duplicate charge whose callback was lost (seed 7) is owed back after the sweep, exactly once", () =>
    Effect.gen(function* () {
      const simulator = yield* PaymentGatewaySimulator
      const { record } = yield* paidOrder()
      const id = record.order.id
      expect(yield* simulator.stats).toMatchObject({ delivered: 1, lost: 0 })
      const duplicate = yield* extraCharge(id, record.payment.amount)
      yield* settle
      // Under this seed the duplicate's callback is lost: nothing records the charge.
      expect(yield* simulator.stats).toMatchObject({ delivered: 1, lost: 1 })
      expect((yield* stored(id)).payment).toEqual(record.payment)

      expect(yield* sweep()).toEqual({ examined: 1, recorded: 1, skipped: 0 })
      const after = yield* stored(id)
      expect(after.order).toEqual(record.order)
      expect(after.payment).toMatchObject({
        status: "SUCCESS",
        transactionKey: record.payment.transactionKey,
        refundsOwed: [duplicate.transactionKey],
      })
      // Sweeping again, and the lost callback arriving after all, record nothing new.
      expect(yield* sweep()).toEqual({ examined: 1, recorded: 0, skipped: 0 })
      yield* redeliver(id)
      expect((yield* stored(id)).payment).toEqual(after.payment)
      expect(yield* countOf("OrderPaid")).toBe(1)
    }).pipe(Effect.provide(withRecheck(orderWorld({ seed: 7, lostCallbackRatio: 0.5, instanceId: "S7" })))),
  )

  it.effect("every lost extra charge of a paid order is recorded once, whatever the batch size", () =>
    Effect.gen(function* () {
      const ids: Array<OrderId> = []
      const extras = new Map<OrderId, Array<string>>()
      for (let i = 0; i < 5; i++) {
        const { record } = yield* paidOrder(i + 1)
        ids.push(record.order.id)
        const keys: Array<string> = []
        for (let j = 0; j < i % 3; j++)
          keys.push((yield* extraCharge(record.order.id, record.payment.amount)).transactionKey)
        extras.set(record.order.id, keys)
      }
      yield* settle
      // 0, 1, 2, 0 and 1 extra charges.
      expect(yield* sweep({ lookBack: "1 hour", batchSize: 2 })).toEqual({ examined: 5, recorded: 4, skipped: 0 })
      for (const id of ids) {
        expect([...((yield* stored(id)).payment.refundsOwed ?? [])].sort()).toEqual([...(extras.get(id) ?? [])].sort())
      }
      expect(yield* sweep({ lookBack: "1 hour", batchSize: 1 })).toEqual({ examined: 5, recorded: 0, skipped: 0 })
      expect(yield* sweep({ lookBack: "1 hour", batchSize: 100 })).toEqual({ examined: 5, recorded: 0, skipped: 0 })
    }).pipe(Effect.provide(withRecheck(orderWorld({ lostCallbackRatio: 1 })))),
  )

  it.effect(
    "a charge after the order failed, or was cancelled, becomes REFUNDED with REFUND_OWED; the next is listed",
    () =>
      Effect.gen(function* () {
        const simulator = yield* PaymentGatewaySimulator
        const orders = yield* OrderService
        const repo = yield* OrderRepository
        const user = yield* seedUser(1, 10_000)
        const product = yield* seedProduct({ price: 4_000, stock: 10 })
        yield* simulator.setDown(true)
        const placed: Array<OrderId> = []
        for (let i = 0; i < 2; i++) {
          const placing = yield* Effect.fork(
            orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "CARD", card }),
          )
          yield* TestClock.adjust("1 second")
          placed.push((yield* Fiber.join(placing)).order.id)
        }
        const [failing, cancelling] = placed as [OrderId, OrderId]
        yield* simulator.setDown(false)
        // One order's attempts are used up and it fails as never reached; the other is cancelled and closed.
        yield* repo.claimPaymentAttempt(failing, 1, new Date(0))
        yield* repo.claimPaymentAttempt(failing, 2, new Date(0))
        yield* orders.cancel(user, cancelling)
        yield* TestClock.adjust("2 minutes")
        yield* orders.reconcilePending({ olderThan: "1 minute" })
        expect((yield* stored(failing)).payment).toMatchObject({ status: "FAILED", reason: NEVER_REACHED })
        expect((yield* stored(cancelling)).payment).toMatchObject({ status: "CANCELLED", reason: NEVER_REACHED })

        const late = new Map<OrderId, string>()
        for (const id of [failing, cancelling]) late.set(id, (yield* extraCharge(id, 4_000)).transactionKey)
        yield* settle
        expect(yield* sweep()).toEqual({ examined: 2, recorded: 2, skipped: 0 })
        for (const id of [failing, cancelling]) {
          expect((yield* stored(id)).payment).toMatchObject({
            status: "REFUNDED",
            reason: REFUND_OWED,
            transactionKey: late.get(id),
          })
        }
        expect([(yield* stored(failing)).order.status, (yield* stored(cancelling)).order.status]).toEqual([
          "PAYMENT_FAILED",
          "CANCELLED",
        ])
        const another = yield* extraCharge(failing, 4_000)
        yield* settle
        expect(yield* sweep()).toEqual({ examined: 2, recorded: 1, skipped: 0 })
        expect((yield* stored(failing)).payment).toMatchObject({
          status: "REFUNDED",
          transactionKey: late.get(failing),
          refundsOwed: [another.transactionKey],
        })
        expect(yield* sweep()).toMatchObject({ recorded: 0 })
        expect([
          yield* countOf("PaymentFailed"),
          yield* countOf("OrderCancelled"),
          yield* countOf("OrderPaid"),
        ]).toEqual([1, 1, 0])
      }).pipe(Effect.provide(withRecheck(orderWorld({ lostCallbackRatio: 1 })))),
  )

  it.effect("a charge still pending at the gateway records nothing until it has succeeded", () =>
    Effect.gen(function* () {
      const { record } = yield* paidOrder()
      const id = record.order.id
      const pending = yield* extraCharge(id, record.payment.amount)
      // Still PENDING at the gateway (latency 50 ms not yet passed).
      expect(yield* sweep()).toEqual({ examined: 1, recorded: 0, skipped: 0 })
      expect((yield* stored(id)).payment.refundsOwed).toBeUndefined()
      yield* settle
      expect(yield* sweep()).toEqual({ examined: 1, recorded: 1, skipped: 0 })
      expect((yield* stored(id)).payment.refundsOwed).toEqual([pending.transactionKey])
    }).pipe(Effect.provide(withRecheck(orderWorld({ lostCallbackRatio: 1 })))),
  )

  it.effect("a charge of another amount is not recorded and the payment is reported skipped on every run", () =>
    Effect.gen(function* () {
      const { record } = yield* paidOrder()
      yield* extraCharge(record.order.id, record.payment.amount + 1)
      yield* settle
      for (let run = 0; run < 2; run++) {
        expect(yield* sweep()).toEqual({ examined: 1, recorded: 0, skipped: 1 })
        expect((yield* stored(record.order.id)).payment).toEqual(record.payment)
      }
    }).pipe(Effect.provide(withRecheck(orderWorld({ lostCallbackRatio: 1 })))),
  )

  it.effect("only payments last touched within the look-back window are asked about", () =>
    Effect.gen(function* () {
      const { record } = yield* paidOrder()
      yield* extraCharge(record.order.id, record.payment.amount)
      yield* settle
      yield* TestClock.adjust("2 hours")
      expect(yield* sweep({ lookBack: "1 hour" })).toEqual({ examined: 0, recorded: 0, skipped: 0 })
      expect((yield* stored(record.order.id)).payment.refundsOwed).toBeUndefined()
      expect(yield* sweep({ lookBack: "3 hours" })).toEqual({ examined: 1, recorded: 1, skipped: 0 })
    }).pipe(Effect.provide(withRecheck(orderWorld({ lostCallbackRatio: 1 })))),
  )
})

/** The simulated gateway behind the policy, counting the calls that reach it. */
const countedGateway = (simulation: Partial<GatewaySimulation>, policy: GatewayPolicy) => {
  const calls = { list: 0 }
  const simulated = PaymentGatewaySimulated({ ...defaultGatewaySimulation, declineRatio: 0, ...simulation })
  const counted = Layer.effect(
    PaymentGateway,
    Effect.map(PaymentGateway, (gateway) =>
      PaymentGateway.of({
        ...gateway,
        listTransactions: (orderId) =>
          Effect.zipRight(
            Effect.sync(() => calls.list++),
            gateway.listTransactions(orderId),
          ),
      }),
    ),
  ).pipe(Layer.provide(simulated))
  const layer = Layer.merge(
    PaymentGatewayResilient(policy).pipe(Layer.provide(counted)),
    Layer.effect(PaymentGatewaySimulator, PaymentGatewaySimulator).pipe(Layer.provide(simulated)),
  )
  return { calls, layer }
}

describe("charge recheck with the gateway unavailable", () => {
  const policy: GatewayPolicy = {
    timeout: "1 second",
    maxRetries: 2,
    backoffBase: "10 millis",
    failureThreshold: 3,
    resetTimeout: "1 minute",
  }
  const gateway = countedGateway({ lostCallbackRatio: 1 }, policy)

  it.effect("skips every order without failing, opens the circuit, and records them all on a later run", () =>
    Effect.gen(function* () {
      const simulator = yield* PaymentGatewaySimulator
      const ids: Array<OrderId> = []
      for (let i = 0; i < 5; i++) {
        const { record } = yield* paidOrder(i + 1)
        yield* extraCharge(record.order.id, record.payment.amount)
        ids.push(record.order.id)
      }
      yield* settle
      yield* simulator.setDown(true)
      gateway.calls.list = 0
      const down = yield* sweepAdvancing({ lookBack: "1 hour", batchSize: 2, concurrency: 1 })
      expect(down).toEqual({ examined: 5, recorded: 0, skipped: 5 })
      // The first order's call and its two retries open the circuit; the other four fail fast.
      expect(gateway.calls.list).toBe(3)
      for (const id of ids) expect((yield* stored(id)).payment.refundsOwed).toBeUndefined()

      yield* simulator.setDown(false)
      // Still open: skipped again, without calling the gateway.
      expect(yield* sweepAdvancing({ lookBack: "1 hour", concurrency: 1 })).toMatchObject({ recorded: 0, skipped: 5 })
      expect(gateway.calls.list).toBe(3)
      yield* TestClock.adjust("1 minute")
      expect(yield* sweepAdvancing({ lookBack: "2 hours", concurrency: 1 })).toEqual({
        examined: 5,
        recorded: 5,
        skipped: 0,
      })
      for (const id of ids) expect((yield* stored(id)).payment.refundsOwed).toHaveLength(1)
    }).pipe(Effect.provide(withRecheck(orderWorld({}, policy, {}, gateway.layer)))),
  )
})

describe("PaymentReconciliationJob runs the recheck", () => {
  const scenario = (advance: Duration.DurationInput) =>
    Effect.gen(function* () {
      const { record } = yield* paidOrder()
      const duplicate = yield* extraCharge(record.order.id, record.payment.amount)
      yield* TestClock.adjust(advance)
      return { id: record.order.id, key: duplicate.transactionKey }
    })

  it.effect("on its own schedule", () =>
    Effect.gen(function* () {
      const { id, key } = yield* scenario("30 seconds")
      expect((yield* stored(id)).payment.refundsOwed).toBeUndefined()
      yield* TestClock.adjust("1 minute")
      expect((yield* stored(id)).payment.refundsOwed).toEqual([key])
    }).pipe(
      Effect.provide(
        PaymentReconciliationJob({
          every: "10 seconds",
          olderThan: "1 second",
          recheck: { every: "1 minute", lookBack: "1 hour" },
        }).pipe(Layer.provideMerge(orderWorld({ lostCallbackRatio: 1 }))),
      ),
    ),
  )

  it.effect("hourly over the last 24 hours by default, with no recheck settings given", () =>
    Effect.gen(function* () {
      const { id, key } = yield* scenario("59 minutes")
      expect((yield* stored(id)).payment.refundsOwed).toBeUndefined()
      yield* TestClock.adjust("2 minutes")
      expect((yield* stored(id)).payment.refundsOwed).toEqual([key])
    }).pipe(
      Effect.provide(
        PaymentReconciliationJob({ every: "10 minutes", olderThan: "1 second" }).pipe(
          Layer.provideMerge(orderWorld({ lostCallbackRatio: 1 })),
        ),
      ),
    ),
  )

  it.effect("never, when turned off", () =>
    Effect.gen(function* () {
      const { id } = yield* scenario("3 hours")
      expect((yield* stored(id)).payment.refundsOwed).toBeUndefined()
    }).pipe(
      Effect.provide(
        PaymentReconciliationJob({ every: "10 minutes", olderThan: "1 second", recheck: false }).pipe(
          Layer.provideMerge(orderWorld({ lostCallbackRatio: 1 })),
        ),
      ),
    ),
  )
})
