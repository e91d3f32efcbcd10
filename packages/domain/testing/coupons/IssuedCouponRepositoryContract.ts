import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { IssuedCouponId } from "../../src/shared/Ids.js"
import { at, type CouponPortsLayer, DAY_MS, newTemplate, order, setup, T0, user } from "./CouponFixtures.js"
import { issuedCouponConcurrencyContract } from "./IssuedCouponConcurrencyContract.js"
import { issuedCouponModelContract } from "./IssuedCouponModelContract.js"

export interface IssuedCouponContractOptions {
  /** fast-check runs per property (each run builds a fresh layer); default 50. */
  readonly numRuns?: number
}

/**
 * The behaviour every IssuedCouponRepository adapter must show. Templates are created
 * through the CouponTemplateRepository of the same layer. User and order ids are plain
 * numbers: the suite creates no users or orders.
 */
export const issuedCouponRepositoryContract = (
  makeLayer: CouponPortsLayer,
  options: IssuedCouponContractOptions = {},
) => {
  describe("IssuedCouponRepository contract", () => {
    it.effect("issues an AVAILABLE coupon valid for validDays from now", () =>
      Effect.gen(function* () {
        const { coupons, template } = yield* setup({ validDays: 7 })
        const now = at(5_000)
        const coupon = yield* coupons.issue(template, user(1), now)
        expect(coupon).toMatchObject({ templateId: template.id, userId: 1, status: "AVAILABLE", issuedAt: now })
        expect(coupon.expiresAt).toEqual(at(5_000 + 7 * DAY_MS))
        expect(coupon.usedByOrderId).toBeUndefined()
        expect(coupon.usedAt).toBeUndefined()
        expect(Option.getOrThrow(yield* coupons.findById(coupon.id))).toEqual(coupon)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("issues at most one coupon per template and user", () =>
      Effect.gen(function* () {
        const { templates, coupons, template } = yield* setup()
        yield* coupons.issue(template, user(1), T0)
        const error = yield* Effect.flip(coupons.issue(template, user(1), at(1)))
        expect(error._tag).toBe("CouponAlreadyIssued")
        expect(error.code).toBe("COUPON_ALREADY_ISSUED")
        expect(error.kind).toBe("conflict")
        expect(yield* coupons.listByUser(user(1))).toHaveLength(1)
        const other = yield* templates.insert(newTemplate({ name: "Other" }))
        yield* coupons.issue(other, user(1), T0)
        yield* coupons.issue(template, user(2), T0)
        expect(yield* coupons.listByUser(user(1))).toHaveLength(2)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("never issues more than totalQuantity; a holder asking again hears already-issued", () =>
      Effect.gen(function* () {
        const { coupons, template } = yield* setup({ totalQuantity: 2 })
        yield* coupons.issue(template, user(1), T0)
        yield* coupons.issue(template, user(2), T0)
        const soldOut = yield* Effect.flip(coupons.issue(template, user(3), T0))
        expect(soldOut._tag).toBe("CouponSoldOut")
        expect(soldOut.code).toBe("COUPON_SOLD_OUT")
        expect((yield* Effect.flip(coupons.issue(template, user(1), T0)))._tag).toBe("CouponAlreadyIssued")
        expect(yield* coupons.listByUser(user(3))).toEqual([])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("issues without limit when totalQuantity is absent", () =>
      Effect.gen(function* () {
        const { coupons, template } = yield* setup()
        const issued = yield* Effect.forEach(
          Array.from({ length: 300 }, (_, i) => user(i + 1)),
          (u) => coupons.issue(template, u, T0),
        )
        expect(new Set(issued.map((c) => c.id)).size).toBe(300)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("finds nothing for an unknown id", () =>
      Effect.gen(function* () {
        const { coupons } = yield* setup()
        expect(Option.isNone(yield* coupons.findById(IssuedCouponId.make(424_242)))).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("lists a user's own coupons newest first, filtered by the status seen at now", () =>
      Effect.gen(function* () {
        const { templates, coupons, template } = yield* setup({ validDays: 1 })
        const longer = yield* templates.insert(newTemplate({ name: "Long", validDays: 30 }))
        const third = yield* templates.insert(newTemplate({ name: "Third", validDays: 30 }))
        const short = yield* coupons.issue(template, user(1), T0)
        const used = yield* coupons.issue(longer, user(1), T0)
        const fresh = yield* coupons.issue(third, user(1), T0)
        yield* coupons.issue(template, user(2), T0)
        yield* coupons.markUsed(used.id, user(1), order(1), at(1))
        const ids = (cs: ReadonlyArray<{ readonly id: number }>) => cs.map((c) => c.id)

        expect(ids(yield* coupons.listByUser(user(1)))).toEqual([fresh.id, used.id, short.id])
        const beforeExpiry = at(DAY_MS - 1)
        expect(ids(yield* coupons.listByUser(user(1), { status: "AVAILABLE", now: beforeExpiry }))).toEqual([
          fresh.id,
          short.id,
        ])
        const afterExpiry = at(DAY_MS)
        expect(ids(yield* coupons.listByUser(user(1), { status: "AVAILABLE", now: afterExpiry }))).toEqual([fresh.id])
        expect(ids(yield* coupons.listByUser(user(1), { status: "EXPIRED", now: afterExpiry }))).toEqual([short.id])
        expect(ids(yield* coupons.listByUser(user(1), { status: "USED", now: afterExpiry }))).toEqual([used.id])
        expect(yield* coupons.listByUser(user(3))).toEqual([])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("markUsed moves AVAILABLE to USED by the order, once", () =>
      Effect.gen(function* () {
        const { coupons, template } = yield* setup()
        const coupon = yield* coupons.issue(template, user(1), T0)
        const used = yield* coupons.markUsed(coupon.id, user(1), order(7), at(10))
        expect(used).toMatchObject({ id: coupon.id, status: "USED", usedByOrderId: 7, usedAt: at(10) })
        expect(Option.getOrThrow(yield* coupons.findById(coupon.id))).toEqual(used)
        const again = yield* Effect.flip(coupons.markUsed(coupon.id, user(1), order(8), at(11)))
        expect(again._tag).toBe("CouponAlreadyUsed")
        expect(again.code).toBe("COUPON_ALREADY_USED")
        expect(Option.getOrThrow(yield* coupons.findById(coupon.id))).toEqual(used)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("markUsed hides other users' and unknown coupons as not found, changing nothing", () =>
      Effect.gen(function* () {
        const { coupons, template } = yield* setup()
        const coupon = yield* coupons.issue(template, user(1), T0)
        const stolen = yield* Effect.flip(coupons.markUsed(coupon.id, user(2), order(1), at(1)))
        expect(stolen._tag).toBe("CouponNotFound")
        expect(stolen.code).toBe("COUPON_NOT_FOUND")
        expect(Option.getOrThrow(yield* coupons.findById(coupon.id)).status).toBe("AVAILABLE")
        const unknown = yield* Effect.flip(coupons.markUsed(IssuedCouponId.make(999_999), user(1), order(1), at(1)))
        expect(unknown._tag).toBe("CouponNotFound")
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("markUsed refuses from expiresAt on and works until just before it", () =>
      Effect.gen(function* () {
        const { coupons, template } = yield* setup({ validDays: 2 })
        const late = yield* coupons.issue(template, user(1), T0)
        const expired = yield* Effect.flip(coupons.markUsed(late.id, user(1), order(1), at(2 * DAY_MS)))
        expect(expired._tag).toBe("CouponExpired")
        expect(expired.code).toBe("COUPON_EXPIRED")
        expect(Option.getOrThrow(yield* coupons.findById(late.id)).status).toBe("AVAILABLE")
        const onTime = yield* coupons.issue(template, user(2), T0)
        const used = yield* coupons.markUsed(onTime.id, user(2), order(2), at(2 * DAY_MS - 1))
        expect(used.status).toBe("USED")
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("restore gives the coupon back only for the order that used it, once", () =>
      Effect.gen(function* () {
        const { coupons, template } = yield* setup()
        const coupon = yield* coupons.issue(template, user(1), T0)
        yield* coupons.markUsed(coupon.id, user(1), order(1), at(1))

        expect((yield* coupons.restore(coupon.id, order(2), at(2)))._tag).toBe("Unchanged")
        expect(Option.getOrThrow(yield* coupons.findById(coupon.id)).usedByOrderId).toBe(1)

        const restored = yield* coupons.restore(coupon.id, order(1), at(3))
        expect(restored._tag).toBe("Restored")
        const after = Option.getOrThrow(yield* coupons.findById(coupon.id))
        expect(after.status).toBe("AVAILABLE")
        expect(after.usedByOrderId).toBeUndefined()
        expect(after.usedAt).toBeUndefined()
        if (restored._tag === "Restored") expect(restored.coupon).toEqual(after)

        expect((yield* coupons.restore(coupon.id, order(1), at(4)))._tag).toBe("Unchanged")
        expect(Option.getOrThrow(yield* coupons.findById(coupon.id))).toEqual(after)
        const reused = yield* coupons.markUsed(coupon.id, user(1), order(3), at(5))
        expect(reused.usedByOrderId).toBe(3)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("restore after expiry leaves the coupon EXPIRED for good", () =>
      Effect.gen(function* () {
        const { coupons, template } = yield* setup({ validDays: 1 })
        const coupon = yield* coupons.issue(template, user(1), T0)
        yield* coupons.markUsed(coupon.id, user(1), order(1), at(1))
        const outcome = yield* coupons.restore(coupon.id, order(1), at(DAY_MS))
        expect(outcome._tag).toBe("Restored")
        const after = Option.getOrThrow(yield* coupons.findById(coupon.id))
        expect(after.status).toBe("EXPIRED")
        expect(after.usedByOrderId).toBeUndefined()
        expect((yield* coupons.restore(coupon.id, order(1), at(DAY_MS + 1)))._tag).toBe("Unchanged")
        // Even with a clock that runs backwards, a stored EXPIRED never becomes usable again.
        expect((yield* Effect.flip(coupons.markUsed(coupon.id, user(1), order(2), at(2))))._tag).toBe("CouponExpired")
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("restore of an unknown or never-used coupon changes nothing", () =>
      Effect.gen(function* () {
        const { coupons, template } = yield* setup()
        const coupon = yield* coupons.issue(template, user(1), T0)
        expect((yield* coupons.restore(coupon.id, order(1), at(1)))._tag).toBe("Unchanged")
        expect(Option.getOrThrow(yield* coupons.findById(coupon.id))).toEqual(coupon)
        expect((yield* coupons.restore(IssuedCouponId.make(999_999), order(1), at(1)))._tag).toBe("Unchanged")
      }).pipe(Effect.provide(makeLayer())),
    )

    issuedCouponConcurrencyContract(makeLayer)
    issuedCouponModelContract(makeLayer, options.numRuns ?? 50)
  })
}
