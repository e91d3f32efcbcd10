import { CouponService, OrderService } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { balanceOf, orderWorld, outboxEvents, seedCoupon, seedProduct, seedUser, stockOf } from "./OrderWorld.js"

const DAY = 24 * 3600 * 1000

describe("OrderService.cancel", () => {
  it.effect("cancelling a paid POINT order restores stock, coupon and points, and records the refund", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 50_000)
      const a = yield* seedProduct({ price: 3_000, stock: 5 })
      const b = yield* seedProduct({ price: 1_000, stock: 5 })
      const couponId = yield* seedCoupon(user, "FIXED", 2_000)
      const placed = yield* orders.place({
        userId: user,
        items: [
          { productId: a.id, quantity: 2 },
          { productId: b.id, quantity: 1 },
        ],
        couponId,
        paymentType: "POINT",
      })
      expect(yield* balanceOf(user)).toBe(45_000)
      yield* TestClock.adjust("5 seconds")
      const { order, payment } = yield* orders.cancel(user, placed.order.id)
      expect(order.status).toBe("CANCELLED")
      expect(order.history.map((h) => [h.status, h.at.getTime()])).toEqual([
        ["PENDING_PAYMENT", 0],
        ["PAID", 0],
        ["CANCELLED", 5_000],
      ])
      expect(payment.status).toBe("REFUNDED")
      expect([yield* stockOf(a.id), yield* stockOf(b.id)]).toEqual([5, 5])
      expect(yield* balanceOf(user)).toBe(50_000)
      expect((yield* (yield* CouponService).listMine(user)).map((c) => c.status)).toEqual(["AVAILABLE"])
      const cancelled = (yield* outboxEvents).find((e) => e._tag === "OrderCancelled")
      expect(cancelled?._tag === "OrderCancelled" && cancelled.refunded).toBe(true)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a second cancel is INVALID_ORDER_STATUS and undoes nothing twice; a stranger gets ORDER_NOT_FOUND", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 50_000)
      const stranger = yield* seedUser(2, 1_000)
      const p = yield* seedProduct({ price: 1_000, stock: 5 })
      const placed = yield* orders.place({
        userId: user,
        items: [{ productId: p.id, quantity: 1 }],
        paymentType: "POINT",
      })
      const foreign = yield* Effect.flip(orders.cancel(stranger, placed.order.id))
      expect(foreign.code).toBe("ORDER_NOT_FOUND")
      yield* orders.cancel(user, placed.order.id)
      const again = yield* Effect.flip(orders.cancel(user, placed.order.id))
      expect(again.code).toBe("INVALID_ORDER_STATUS")
      expect(yield* stockOf(p.id)).toBe(5)
      expect(yield* balanceOf(user)).toBe(50_000)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("hundreds of concurrent cancels of one order compensate exactly once", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 50_000)
      const p = yield* seedProduct({ price: 1_000, stock: 5 })
      const placed = yield* orders.place({
        userId: user,
        items: [{ productId: p.id, quantity: 3 }],
        paymentType: "POINT",
      })
      const results = yield* Effect.all(
        Array.from({ length: 200 }, () => Effect.either(orders.cancel(user, placed.order.id))),
        { concurrency: "unbounded" },
      )
      expect(results.filter((r) => r._tag === "Right")).toHaveLength(1)
      expect(yield* stockOf(p.id)).toBe(5)
      expect(yield* balanceOf(user)).toBe(50_000)
      expect((yield* outboxEvents).filter((e) => e._tag === "PointsRefunded")).toHaveLength(1)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a coupon that expired before the cancellation is not given back", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 50_000)
      const p = yield* seedProduct({ price: 10_000, stock: 5 })
      const couponId = yield* seedCoupon(user, "FIXED", 1_000, 1)
      const placed = yield* orders.place({
        userId: user,
        items: [{ productId: p.id, quantity: 1 }],
        couponId,
        paymentType: "POINT",
      })
      yield* TestClock.adjust(2 * DAY)
      yield* orders.cancel(user, placed.order.id)
      expect((yield* (yield* CouponService).listMine(user)).map((c) => c.status)).toEqual(["EXPIRED"])
      expect(yield* balanceOf(user)).toBe(50_000)
      expect(yield* stockOf(p.id)).toBe(5)
    }).pipe(Effect.provide(orderWorld())),
  )
})
