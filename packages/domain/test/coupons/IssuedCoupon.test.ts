import { fc, test } from "@fast-check/vitest"
import { Either } from "effect"
import { describe, expect } from "vitest"
import {
  CouponTemplateId,
  couponStatusAt,
  IssuedCoupon,
  IssuedCouponId,
  OrderId,
  releaseCoupon,
  UserId,
  useCoupon,
} from "../../src/index.js"

const DAY = 86_400_000
const T0 = new Date("2026-03-01T00:00:00.000Z")
const at = (ms: number) => new Date(T0.getTime() + ms)
const owner = UserId.make(1)
const stranger = UserId.make(2)

const fresh = () =>
  new IssuedCoupon({
    id: IssuedCouponId.make(1),
    templateId: CouponTemplateId.make(1),
    userId: owner,
    status: "AVAILABLE",
    issuedAt: T0,
    expiresAt: at(DAY),
  })

const errorTag = <A, E extends { readonly _tag: string }>(result: Either.Either<A, E>) =>
  Either.isRight(result) ? "ok" : result.left._tag

describe("couponStatusAt", () => {
  test("an AVAILABLE coupon is EXPIRED from expiresAt on; USED and stored EXPIRED stay what they are", () => {
    const coupon = fresh()
    expect(couponStatusAt(coupon, at(DAY - 1))).toBe("AVAILABLE")
    expect(couponStatusAt(coupon, at(DAY))).toBe("EXPIRED")
    expect(couponStatusAt({ ...coupon, status: "USED" }, at(2 * DAY))).toBe("USED")
    expect(couponStatusAt({ ...coupon, status: "EXPIRED" }, at(0))).toBe("EXPIRED")
  })
})

describe("useCoupon and releaseCoupon", () => {
  test("use, refuse a second use, release by the order, use again", () => {
    const used = Either.getOrThrow(useCoupon(fresh(), owner, OrderId.make(5), at(1)))
    expect(used).toMatchObject({ status: "USED", usedByOrderId: 5, usedAt: at(1) })
    expect(errorTag(useCoupon(used, owner, OrderId.make(6), at(2)))).toBe("CouponAlreadyUsed")
    expect(releaseCoupon(used, OrderId.make(6), at(2))._tag).toBe("Unchanged")
    const released = releaseCoupon(used, OrderId.make(5), at(2))
    if (released._tag !== "Restored") return expect.unreachable()
    expect(released.coupon).toEqual(fresh())
    expect(releaseCoupon(released.coupon, OrderId.make(5), at(3))._tag).toBe("Unchanged")
  })

  test("strangers see not found; expiry is checked at the boundary", () => {
    expect(errorTag(useCoupon(fresh(), stranger, OrderId.make(1), at(1)))).toBe("CouponNotFound")
    expect(errorTag(useCoupon(fresh(), owner, OrderId.make(1), at(DAY)))).toBe("CouponExpired")
    expect(errorTag(useCoupon(fresh(), owner, OrderId.make(1), at(DAY - 1)))).toBe("ok")
  })

  test("a release after expiry stores EXPIRED", () => {
    const used = Either.getOrThrow(useCoupon(fresh(), owner, OrderId.make(5), at(1)))
    const released = releaseCoupon(used, OrderId.make(5), at(DAY))
    if (released._tag !== "Restored") return expect.unreachable()
    expect(released.coupon.status).toBe("EXPIRED")
    expect(released.coupon.usedByOrderId).toBeUndefined()
    expect(errorTag(useCoupon(released.coupon, owner, OrderId.make(6), at(0)))).toBe("CouponExpired")
  })

  type Op = { use: boolean; byOwner: boolean; order: number; advance: number }
  const op = fc.record({
    use: fc.boolean(),
    byOwner: fc.boolean(),
    order: fc.integer({ min: 1, max: 3 }),
    advance: fc.integer({ min: 0, max: DAY / 4 }),
  })

  test.prop([fc.array(op, { maxLength: 30 })])(
    "over any sequence: at most one live use, restore is idempotent, expired stays expired",
    (ops: Array<Op>) => {
      let coupon = fresh()
      let elapsed = 0
      const live = new Set<number>()
      let sawExpired = false
      for (const step of ops) {
        elapsed += step.advance
        const now = at(elapsed)
        const orderId = OrderId.make(step.order)
        if (step.use) {
          const before = coupon
          const result = useCoupon(coupon, step.byOwner ? owner : stranger, orderId, now)
          if (Either.isRight(result)) {
            expect(step.byOwner).toBe(true)
            expect(couponStatusAt(before, now)).toBe("AVAILABLE")
            coupon = result.right
            live.add(step.order)
          }
        } else {
          const outcome = releaseCoupon(coupon, orderId, now)
          if (outcome._tag === "Restored") {
            expect(live.has(step.order)).toBe(true)
            live.delete(step.order)
            coupon = outcome.coupon
            expect(coupon.status).toBe(now >= coupon.expiresAt ? "EXPIRED" : "AVAILABLE")
          }
          expect(releaseCoupon(coupon, orderId, now)._tag).toBe("Unchanged")
        }
        expect(live.size).toBeLessThanOrEqual(1)
        expect(live.size === 1).toBe(coupon.status === "USED")
        const seen = couponStatusAt(coupon, now)
        if (sawExpired) expect(seen).toBe("EXPIRED")
        if (seen === "EXPIRED") sawExpired = true
      }
    },
  )
})
