import {
  CartRepository,
  CartService,
  CouponService,
  OrderRepository,
  OrderService,
  OrderServiceLive,
  PageRequest,
  PointService,
  type ProductId,
  type UserId,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"
import { PaymentGatewaySimulator } from "../../src/payments/PaymentGatewaySimulated.js"
import { card, orderWorld, outboxEvents, seedCoupon, seedProduct, seedUser, stockOf } from "./OrderWorld.js"

const countOf = (tag: string) => Effect.map(outboxEvents, (events) => events.filter((e) => e._tag === tag).length)
const ledgerOf = (user: UserId) =>
  Effect.flatMap(PointService, (p) => Effect.map(p.history(user, PageRequest.make({ size: 100 })), (h) => h.items))

describe("orders with nothing to pay", () => {
  it.effect("a fully discounted POINT order is paid at once with no points entry; cancelling moves no points", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 5_000)
      const product = yield* seedProduct({ price: 3_000, stock: 5 })
      const couponId = yield* seedCoupon(user, "FIXED", 10_000)
      const ledgerBefore = (yield* ledgerOf(user)).length
      const { order, payment } = yield* orders.place({
        userId: user,
        items: [{ productId: product.id, quantity: 1 }],
        couponId,
        paymentType: "POINT",
      })
      expect([order.status, order.paidAmount, payment.status, payment.amount]).toEqual(["PAID", 0, "SUCCESS", 0])
      expect((yield* ledgerOf(user)).length).toBe(ledgerBefore)
      expect([yield* countOf("PointsUsed"), yield* countOf("OrderPaid")]).toEqual([0, 1])
      const cancelled = yield* orders.cancel(user, order.id)
      expect([cancelled.order.status, cancelled.payment.status]).toEqual(["CANCELLED", "CANCELLED"])
      expect((yield* ledgerOf(user)).length).toBe(ledgerBefore)
      expect(yield* countOf("PointsRefunded")).toBe(0)
      expect(yield* (yield* PointService).balance(user)).toBe(5_000)
      expect(yield* stockOf(product.id)).toBe(5)
      expect((yield* (yield* CouponService).listMine(user)).map((c) => c.status)).toEqual(["AVAILABLE"])
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a fully discounted CARD order is paid at once: the gateway is never asked, no card number kept", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const simulator = yield* PaymentGatewaySimulator
      const user = yield* seedUser(1, 0)
      const product = yield* seedProduct({ price: 3_000, stock: 5 })
      const couponId = yield* seedCoupon(user, "FIXED", 3_000)
      const { order, payment } = yield* orders.place({
        userId: user,
        items: [{ productId: product.id, quantity: 1 }],
        couponId,
        paymentType: "CARD",
        card,
      })
      expect([order.status, payment.status, payment.amount, payment.attempts]).toEqual(["PAID", "SUCCESS", 0, 0])
      expect(payment.card).toBeUndefined()
      expect(payment.maskedCard?.cardNo).toBe("****-****-****-3456")
      yield* TestClock.adjust("1 second")
      expect((yield* simulator.stats).requests).toBe(0)
      expect((yield* orders.reconcilePending({ olderThan: "0 millis" })).examined).toBe(0)
      expect(yield* countOf("OrderPaid")).toBe(1)
    }).pipe(Effect.provide(orderWorld())),
  )
})

describe("card numbers", () => {
  it.effect("kept in full only until the gateway accepts a request, masked from then on", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const repo = yield* OrderRepository
      const simulator = yield* PaymentGatewaySimulator
      const user = yield* seedUser(1, 0)
      const product = yield* seedProduct({ price: 3_000, stock: 5 })
      yield* simulator.setDown(true)
      const placing = yield* Effect.fork(
        orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "CARD", card }),
      )
      yield* TestClock.adjust("1 second")
      const placed = yield* Fiber.join(placing)
      // Not accepted yet: reconciliation may need to resend it.
      const waiting = Option.getOrThrow(yield* repo.findById(placed.order.id)).payment
      expect(waiting.card?.cardNo).toBe(card.cardNo)
      expect(waiting.maskedCard?.cardNo).toBe("****-****-****-3456")
      yield* simulator.setDown(false)
      yield* TestClock.adjust("2 minutes")
      const run = yield* Effect.fork(orders.reconcilePending({ olderThan: "1 minute" }))
      yield* TestClock.adjust("10 millis")
      expect((yield* Fiber.join(run)).resent).toBe(1)
      const accepted = Option.getOrThrow(yield* repo.findById(placed.order.id)).payment
      expect(accepted.transactionKey).toBeDefined()
      expect(accepted.card).toBeUndefined()
      expect(accepted.maskedCard).toEqual(waiting.maskedCard)
      yield* TestClock.adjust("1 second")
      const paid = Option.getOrThrow(yield* repo.findById(placed.order.id))
      expect([paid.order.status, paid.payment.card]).toEqual(["PAID", undefined])
    }).pipe(Effect.provide(orderWorld())),
  )
})

/** A cart store where `extra` units of a product arrive just before the order takes its units out. */
const cartGrowingBeforeRemoval = (productId: () => ProductId, extra: number) =>
  Layer.effect(
    CartRepository,
    Effect.map(CartRepository, (repo) =>
      CartRepository.of({
        ...repo,
        subtract: (userId, lines) =>
          Effect.zipRight(
            Effect.orDie(repo.add(userId, productId(), extra as never, 1_000 as never)),
            repo.subtract(userId, lines),
          ),
      }),
    ),
  )

describe("ordering from the cart", () => {
  let grown: ProductId = 0 as ProductId
  /** An OrderService on the growing cart, built on the surrounding world's stores. */
  const ordersOnGrowingCart = OrderServiceLive.pipe(Layer.provide(cartGrowingBeforeRemoval(() => grown, 3)))

  it.effect("removes only the ordered units: units added meanwhile stay in the cart", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const cart = yield* CartService
      const user = yield* seedUser(1, 50_000)
      const a = yield* seedProduct({ price: 1_000, stock: 10 })
      const b = yield* seedProduct({ price: 2_000, stock: 10 })
      grown = a.id
      yield* cart.add(user, a.id, 2)
      yield* cart.add(user, b.id, 1)
      const { order } = yield* orders.place({ userId: user, fromCart: true, paymentType: "POINT" })
      expect(order.lines.map((l) => [l.productId, l.quantity]).sort()).toEqual(
        [
          [a.id, 2],
          [b.id, 1],
        ].sort(),
      )
      expect((yield* cart.view(user)).items.map((i) => [i.productId, i.quantity])).toEqual([[a.id, 3]])
      expect([yield* stockOf(a.id), yield* stockOf(b.id)]).toEqual([8, 9])
    }).pipe(Effect.provide(ordersOnGrowingCart), Effect.provide(orderWorld())),
  )
})
