import {
  type DomainEvent,
  type IssuedCouponId,
  IssuedCouponRepository,
  type OrderRecord,
  OrderRepository,
  OrderService,
  PageRequest,
  PointService,
  type Product,
  ProductRepository,
  REFUND_OWED,
  signedAmount,
  type UserId,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import fc from "fast-check"
import { PaymentGatewaySimulator } from "../../src/payments/PaymentGatewaySimulated.js"
import { card, orderWorld, outboxEvents, seedCoupon, seedProduct, seedUser } from "./OrderWorld.js"

const USERS = 4
const PRODUCTS = 3

type Command =
  | {
      readonly _tag: "place"
      readonly user: number
      readonly lines: ReadonlyArray<{ readonly product: number; readonly quantity: number }>
      readonly useCoupon: boolean
      readonly payment: "POINT" | "CARD"
    }
  | { readonly _tag: "cancel"; readonly order: number; readonly byOwner: boolean }
  | { readonly _tag: "callback"; readonly order: number; readonly claim: "SUCCESS" | "FAILED" }
  | { readonly _tag: "sync"; readonly order: number }
  | { readonly _tag: "reconcile" }
  | { readonly _tag: "restock"; readonly product: number; readonly units: number }

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      _tag: fc.constant("place" as const),
      user: fc.integer({ min: 0, max: USERS - 1 }),
      lines: fc.uniqueArray(
        fc.record({ product: fc.integer({ min: 0, max: PRODUCTS - 1 }), quantity: fc.integer({ min: 1, max: 4 }) }),
        { minLength: 1, maxLength: PRODUCTS, selector: (l) => l.product },
      ),
      useCoupon: fc.boolean(),
      payment: fc.constantFrom("POINT" as const, "CARD" as const),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ _tag: fc.constant("cancel" as const), order: fc.nat(), byOwner: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant("callback" as const),
      order: fc.nat(),
      claim: fc.constantFrom("SUCCESS" as const, "FAILED" as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("sync" as const), order: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "reconcile" as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      _tag: fc.constant("restock" as const),
      product: fc.integer({ min: 0, max: PRODUCTS - 1 }),
      units: fc.integer({ min: 1, max: 3 }),
    }),
  },
)

const scenarioArb = fc.record({
  seed: fc.integer(),
  stocks: fc.array(fc.integer({ min: 0, max: 8 }), { minLength: PRODUCTS, maxLength: PRODUCTS }),
  points: fc.array(
    fc.integer({ min: 1, max: 30 }).map((k) => k * 1_000),
    { minLength: USERS, maxLength: USERS },
  ),
  /** Each command starts after its delay (ms), so commands overlap in every order. */
  commands: fc.array(fc.tuple(commandArb, fc.integer({ min: 0, max: 12 })), { minLength: 15, maxLength: 50 }),
})

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never

const countBy = <A>(items: ReadonlyArray<A>, key: (a: A) => string | undefined) => {
  const counts = new Map<string, number>()
  for (const item of items) {
    const k = key(item)
    if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return counts
}

const run = (scenario: Scenario, stats: { responsesLost: number; owedBack: number }) =>
  Effect.gen(function* () {
    const orders = yield* OrderService
    const repo = yield* OrderRepository
    const productsRepo = yield* ProductRepository
    const simulator = yield* PaymentGatewaySimulator

    const products: Array<Product> = []
    for (const stock of scenario.stocks) products.push(yield* seedProduct({ price: 1_000, stock, maxOrderQuantity: 3 }))
    const users: Array<UserId> = []
    const coupons: Array<IssuedCouponId> = []
    for (const [i, points] of scenario.points.entries()) {
      const user = yield* seedUser(i + 1, points)
      users.push(user)
      coupons.push(yield* seedCoupon(user, "FIXED", 500))
    }
    const restocked = products.map(() => 0)
    const placed: Array<OrderRecord> = []
    const pick = (n: number) => (placed.length === 0 ? undefined : placed[n % placed.length])

    const execute = (command: Command): Effect.Effect<unknown, unknown> => {
      switch (command._tag) {
        case "place": {
          const userId = users[command.user] as UserId
          return Effect.tap(
            orders.place({
              userId,
              items: command.lines.map((l) => ({ productId: products[l.product]?.id ?? 0, quantity: l.quantity })),
              couponId: command.useCoupon ? coupons[command.user] : undefined,
              paymentType: command.payment,
              card: command.payment === "CARD" ? card : undefined,
            }),
            (record) => Effect.sync(() => placed.push(record)),
          )
        }
        case "cancel": {
          const target = pick(command.order)
          if (target === undefined) return Effect.void
          const userId = command.byOwner ? target.order.userId : (((target.order.userId % USERS) + 1) as UserId)
          return orders.cancel(userId, target.order.id)
        }
        case "callback": {
          const target = pick(command.order)
          if (target === undefined) return Effect.void
          const stored = Effect.map(repo.findById(target.order.id), Option.getOrThrow)
          return Effect.flatMap(stored, (record) =>
            orders.handleCallback({
              transactionKey: record.payment.transactionKey ?? "TR-unknown",
              orderId: target.order.id,
              status: command.claim,
            }),
          )
        }
        case "sync": {
          const target = pick(command.order)
          return target === undefined ? Effect.void : orders.syncPayment(target.order.userId, target.order.id)
        }
        case "reconcile":
          return orders.reconcilePending({ olderThan: "0 millis" })
        case "restock": {
          const product = products[command.product] as Product
          return Effect.tap(productsRepo.adjustStock(product.id, command.units), () =>
            Effect.sync(() => {
              restocked[command.product] = (restocked[command.product] ?? 0) + command.units
            }),
          )
        }
      }
    }

    // Domain failures are expected outcomes; a defect (a bug) fails the property.
    yield* Effect.all(
      scenario.commands.map(([c, delay]) =>
        Effect.delay(
          Effect.suspend(() => execute(c)),
          delay,
        ).pipe(Effect.either),
      ),
      { concurrency: "unbounded", discard: true },
    )

    // Let every transaction settle at the gateway, then reconcile until nothing is pending.
    for (let round = 0; round < 80; round++) {
      yield* Effect.sleep("15 millis")
      yield* orders.reconcilePending({ olderThan: "0 millis" })
      const pending = (yield* repo.pendingCardPayments(new Date(8.64e15), 1_000)).length
      if (pending === 0) break
    }
    // Late registrations settle too; then the gateway redelivers every callback (lost ones
    // included), as a real gateway retries them: each must be absorbed without double effects.
    yield* Effect.sleep(`${REGISTRATION_DELAY_MS + 20} millis`)
    for (const t of yield* simulator.transactions) {
      yield* Effect.either(
        orders.handleCallback({ transactionKey: t.transactionKey, orderId: t.orderId, status: t.status }),
      )
    }

    const records = yield* Effect.forEach(placed, (p) => Effect.map(repo.findById(p.order.id), Option.getOrThrow))
    const events: ReadonlyArray<DomainEvent> = yield* outboxEvents
    const live = records.filter((r) => r.order.status === "PENDING_PAYMENT" || r.order.status === "PAID")

    // Every CARD order is settled once the gateway answers.
    expect(records.filter((r) => r.order.status === "PENDING_PAYMENT")).toEqual([])
    expect(records.filter((r) => r.payment.status === "PENDING")).toEqual([])

    // Stock never below 0, and initial + restocks = current + held by live orders.
    for (const [i, product] of products.entries()) {
      const current = Option.getOrThrow(yield* productsRepo.findById(product.id)).stock
      const held = live
        .flatMap((r) => r.order.lines)
        .filter((l) => l.productId === product.id)
        .reduce((s, l) => s + l.quantity, 0)
      expect(current).toBeGreaterThanOrEqual(0)
      expect(current + held).toBe((scenario.stocks[i] ?? 0) + (restocked[i] ?? 0))
    }

    // Balance = ledger = initial - points of paid POINT orders.
    const points = yield* PointService
    for (const [i, user] of users.entries()) {
      const balance = yield* points.balance(user)
      const ledger = yield* points.history(user, PageRequest.make({ size: 100 }))
      expect(ledger.totalElements).toBeLessThanOrEqual(100)
      expect(ledger.items.reduce((s, e) => s + signedAmount(e), 0)).toBe(balance)
      const spent = records
        .filter((r) => r.order.userId === user && r.order.paymentType === "POINT" && r.order.status === "PAID")
        .reduce((s, r) => s + r.order.paidAmount, 0)
      expect(balance).toBe((scenario.points[i] ?? 0) - spent)
    }

    // Each coupon is held by at most one live order, and is USED exactly when one holds it.
    const issued = yield* IssuedCouponRepository
    for (const couponId of coupons) {
      const holders = live.filter((r) => r.order.couponId === couponId)
      expect(holders.length).toBeLessThanOrEqual(1)
      const coupon = Option.getOrThrow(yield* issued.findById(couponId))
      expect(coupon.status).toBe(holders.length === 1 ? "USED" : "AVAILABLE")
      if (holders.length === 1) expect(coupon.usedByOrderId).toBe(holders[0]?.order.id)
    }

    // Nothing applied twice; the recorded outcome matches the gateway's truth.
    const perOrder = (tag: string) =>
      countBy(events, (e) => (e._tag === tag && "orderId" in e ? String(e.orderId) : undefined))
    for (const tag of ["OrderPlaced", "OrderPaid", "PaymentFailed", "OrderCancelled", "PointsUsed", "PointsRefunded"]) {
      for (const count of perOrder(tag).values()) expect(count).toBe(1)
    }
    const restores = countBy(events, (e) => (e._tag === "StockRestored" ? `${e.orderId}/${e.productId}` : undefined))
    for (const count of restores.values()) expect(count).toBe(1)
    const transactions = yield* simulator.transactions
    const successes = new Map<number, Array<string>>()
    for (const t of transactions) {
      if (t.status === "SUCCESS") successes.set(t.orderId, [...(successes.get(t.orderId) ?? []), t.transactionKey])
    }
    let owedBack = 0
    for (const record of records) {
      const paidEvents = perOrder("OrderPaid").get(String(record.order.id)) ?? 0
      expect(paidEvents).toBe(record.order.history.some((h) => h.status === "PAID") ? 1 : 0)
      if (record.order.paymentType !== "CARD") continue
      const charges = successes.get(record.order.id) ?? []
      const owed = record.payment.refundsOwed ?? []
      // Every charge is accounted for exactly once: the one the status records, plus those owed back.
      const byStatus =
        (record.payment.status === "SUCCESS" || record.payment.status === "REFUNDED") &&
        record.payment.transactionKey !== undefined
          ? [record.payment.transactionKey]
          : []
      expect([...byStatus, ...owed].sort()).toEqual([...charges].sort())
      // At most one charge pays an order; any other is owed back.
      expect(charges.length - owed.length).toBeLessThanOrEqual(1)
      if (record.order.status === "PAID") {
        expect(record.payment.status).toBe("SUCCESS")
        expect(charges.length - owed.length).toBe(1)
      }
      // A failed order was charged nothing, or the charge is owed back.
      if (record.order.status === "PAYMENT_FAILED") {
        expect(record.payment.status).toBe(charges.length === 0 ? "FAILED" : "REFUNDED")
        if (charges.length > 0) expect(record.payment.reason).toBe(REFUND_OWED)
      }
      // A cancelled order's payment ends REFUNDED exactly when the card was charged.
      if (record.order.status === "CANCELLED")
        expect(record.payment.status).toBe(charges.length > 0 ? "REFUNDED" : "CANCELLED")
      if (owed.length > 0 || record.payment.reason === REFUND_OWED) owedBack++
    }
    stats.responsesLost += (yield* simulator.stats).responsesLost
    stats.owedBack += owedBack
    return records.map((r) => `${r.order.paymentType}:${r.order.status}:${r.payment.status}`)
  })

const REGISTRATION_DELAY_MS = 30

describe("order model", () => {
  it.live(
    "random interleavings of orders, cancels, callbacks, lost responses, late registrations and reconciliation keep every invariant",
    () =>
      Effect.gen(function* () {
        const seen = new Map<string, number>()
        const stats = { responsesLost: 0, owedBack: 0 }
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(scenarioArb, (scenario) =>
              Effect.runPromise(
                Effect.map(
                  run(scenario, stats).pipe(
                    Effect.provide(
                      orderWorld(
                        {
                          seed: scenario.seed,
                          latency: "3 millis",
                          requestFailureRatio: 0.15,
                          declineRatio: 0.3,
                          lostCallbackRatio: 0.3,
                          duplicateCallbackRatio: 0.3,
                          responseLostRatio: 0.15,
                          registrationDelay: `${REGISTRATION_DELAY_MS} millis`,
                        },
                        undefined,
                        // Covers the client's retries (backoff 10 ms, 2 retries) plus the registration delay.
                        { registrationWindow: "150 millis" },
                      ),
                    ),
                  ),
                  (outcomes) => {
                    for (const o of outcomes) seen.set(o, (seen.get(o) ?? 0) + 1)
                  },
                ),
              ),
            ),
            { numRuns: 60 },
          ),
        )
        // The runs reached every outcome, lost answers and charges owed back (the model is not vacuous).
        for (const outcome of [
          "POINT:PAID:SUCCESS",
          "POINT:CANCELLED:REFUNDED",
          "CARD:PAID:SUCCESS",
          "CARD:PAYMENT_FAILED:FAILED",
          "CARD:CANCELLED:CANCELLED",
          "CARD:CANCELLED:REFUNDED",
        ]) {
          expect(seen.get(outcome) ?? 0, outcome).toBeGreaterThan(0)
        }
        expect(stats.responsesLost, "lost responses").toBeGreaterThan(0)
        expect(stats.owedBack, "charges owed back").toBeGreaterThan(0)
      }),
    180_000,
  )
})
