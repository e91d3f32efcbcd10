import { IssuedCouponId, IssuedCouponRepository, Money, OrderId, Transactor } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option, TestClock } from "effect"
import { DAY, eventsOf, makeLayer, openTemplate, user } from "./CouponServiceSetup.js"

const order = (n: number) => OrderId.make(n)
const won = (n: number) => Money.make(n)

/** A template (RATE 10%, cap 2,000, min 10,000, valid 7 days) with one coupon issued to user 1. */
const withCoupon = Effect.gen(function* () {
  const { service, template } = yield* openTemplate({
    type: "RATE",
    value: 10,
    maxDiscount: 2_000,
    minOrderAmount: 10_000,
  })
  const coupon = yield* service.issue(template.id, user(1))
  const repo = yield* IssuedCouponRepository
  const stored = (id = coupon.id) => Effect.map(repo.findById(id), Option.getOrThrow)
  return { service, template, coupon, stored }
})

describe("CouponService.applyToOrder", () => {
  it.effect("computes the discount, marks the coupon used and appends CouponUsed", () =>
    Effect.gen(function* () {
      const { service, coupon, stored } = yield* withCoupon
      yield* TestClock.adjust(60_000)
      const applied = yield* service.applyToOrder({
        couponId: coupon.id,
        userId: user(1),
        orderId: order(9),
        subtotal: won(15_000),
      })
      expect(applied).toEqual({ couponId: coupon.id, templateId: coupon.couponId, discount: 1_500 })
      const after = yield* stored()
      expect(after).toMatchObject({ status: "USED", usedByOrderId: 9 })
      expect(after.usedAt!.getTime()).toBe(coupon.issuedAt.getTime() + 60_000)
      const events = yield* eventsOf("CouponUsed")
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ couponId: coupon.id, orderId: 9, userId: 1 })
      expect((yield* service.listMine(user(1), "USED")).map((c) => c.id)).toEqual([coupon.id])
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("caps the discount and records the order's own time when given", () =>
    Effect.gen(function* () {
      const { service, coupon, stored } = yield* withCoupon
      const when = new Date(coupon.issuedAt.getTime() + 1_234)
      const applied = yield* service.applyToOrder({
        couponId: coupon.id,
        userId: user(1),
        orderId: order(1),
        subtotal: won(1_000_000),
        now: when,
      })
      expect(applied.discount).toBe(2_000)
      expect((yield* stored()).usedAt).toEqual(when)
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("refuses without change: below minimum, someone else's, unknown, used, expired", () =>
    Effect.gen(function* () {
      const { service, coupon, stored } = yield* withCoupon
      const base = { couponId: coupon.id, userId: user(1), orderId: order(1), subtotal: won(20_000) }
      const codeOf = (input: typeof base) => Effect.map(Effect.flip(service.applyToOrder(input)), (e) => e.code)

      expect(yield* codeOf({ ...base, subtotal: won(9_999) })).toBe("COUPON_MIN_ORDER_AMOUNT_NOT_MET")
      expect(yield* codeOf({ ...base, userId: user(2) })).toBe("COUPON_NOT_FOUND")
      expect(yield* codeOf({ ...base, couponId: IssuedCouponId.make(999) })).toBe("COUPON_NOT_FOUND")
      expect((yield* stored()).status).toBe("AVAILABLE")
      expect(yield* eventsOf("CouponUsed")).toHaveLength(0)

      yield* service.applyToOrder(base)
      expect(yield* codeOf({ ...base, orderId: order(2) })).toBe("COUPON_ALREADY_USED")
      expect((yield* stored()).usedByOrderId).toBe(1)

      yield* service.restoreForOrder({ couponId: coupon.id, orderId: order(1) })
      yield* TestClock.adjust(7 * DAY)
      expect(yield* codeOf({ ...base, orderId: order(3) })).toBe("COUPON_EXPIRED")
      expect(yield* eventsOf("CouponUsed")).toHaveLength(1)
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("joins the caller's transaction: rolled back with it, kept when it commits", () =>
    Effect.gen(function* () {
      const { service, coupon, stored } = yield* withCoupon
      const tx = yield* Transactor
      const input = { couponId: coupon.id, userId: user(1), orderId: order(1), subtotal: won(20_000) }
      const failed = yield* Effect.either(
        tx.withTransaction(Effect.zipRight(service.applyToOrder(input), Effect.fail("OUT_OF_STOCK" as const))),
      )
      expect(Either.isLeft(failed)).toBe(true)
      expect((yield* stored()).status).toBe("AVAILABLE")
      expect(yield* eventsOf("CouponUsed")).toHaveLength(0)

      yield* tx.withTransaction(service.applyToOrder({ ...input, orderId: order(2) }))
      expect((yield* stored()).usedByOrderId).toBe(2)
      expect(yield* eventsOf("CouponUsed")).toHaveLength(1)
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("one coupon in 50 concurrent orders: exactly one succeeds and one CouponUsed is written", () =>
    Effect.gen(function* () {
      const { service, coupon, stored } = yield* withCoupon
      const results = yield* Effect.all(
        Array.from({ length: 50 }, (_, i) =>
          Effect.either(
            service.applyToOrder({
              couponId: coupon.id,
              userId: user(1),
              orderId: order(i + 1),
              subtotal: won(20_000),
            }),
          ),
        ),
        { concurrency: "unbounded" },
      )
      expect(results.filter(Either.isRight)).toHaveLength(1)
      for (const r of results) if (Either.isLeft(r)) expect(r.left.code).toBe("COUPON_ALREADY_USED")
      const events = yield* eventsOf("CouponUsed")
      expect(events).toHaveLength(1)
      expect((yield* stored()).usedByOrderId).toBe(events[0]!.orderId)
    }).pipe(Effect.provide(makeLayer())),
  )
})

describe("CouponService.restoreForOrder", () => {
  it.effect("restores once for the using order, appending one CouponRestored", () =>
    Effect.gen(function* () {
      const { service, coupon, stored } = yield* withCoupon
      yield* service.applyToOrder({ couponId: coupon.id, userId: user(1), orderId: order(1), subtotal: won(20_000) })

      expect((yield* service.restoreForOrder({ couponId: coupon.id, orderId: order(2) }))._tag).toBe("Unchanged")
      expect((yield* stored()).status).toBe("USED")

      const first = yield* service.restoreForOrder({ couponId: coupon.id, orderId: order(1) })
      expect(first._tag).toBe("Restored")
      expect((yield* stored()).status).toBe("AVAILABLE")
      const second = yield* service.restoreForOrder({ couponId: coupon.id, orderId: order(1) })
      expect(second._tag).toBe("Unchanged")

      const events = yield* eventsOf("CouponRestored")
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ couponId: coupon.id, orderId: 1, userId: 1 })
      expect((yield* service.listMine(user(1), "AVAILABLE")).map((c) => c.id)).toEqual([coupon.id])
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("a coupon released after its expiry becomes EXPIRED (and the release is still recorded)", () =>
    Effect.gen(function* () {
      const { service, coupon, stored } = yield* withCoupon
      yield* service.applyToOrder({ couponId: coupon.id, userId: user(1), orderId: order(1), subtotal: won(20_000) })
      yield* TestClock.adjust(7 * DAY)
      const outcome = yield* service.restoreForOrder({ couponId: coupon.id, orderId: order(1) })
      expect(outcome._tag === "Restored" && outcome.coupon.status).toBe("EXPIRED")
      expect((yield* stored()).status).toBe("EXPIRED")
      expect(yield* eventsOf("CouponRestored")).toHaveLength(1)
      expect((yield* service.listMine(user(1), "EXPIRED")).map((c) => c.id)).toEqual([coupon.id])
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("50 concurrent restores for the order write one CouponRestored", () =>
    Effect.gen(function* () {
      const { service, coupon } = yield* withCoupon
      yield* service.applyToOrder({ couponId: coupon.id, userId: user(1), orderId: order(1), subtotal: won(20_000) })
      const outcomes = yield* Effect.all(
        Array.from({ length: 50 }, () => service.restoreForOrder({ couponId: coupon.id, orderId: order(1) })),
        { concurrency: "unbounded" },
      )
      expect(outcomes.filter((o) => o._tag === "Restored")).toHaveLength(1)
      expect(yield* eventsOf("CouponRestored")).toHaveLength(1)
    }).pipe(Effect.provide(makeLayer())),
  )
})
