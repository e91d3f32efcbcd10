import { Data, Either, Schema } from "effect"
import { CouponTemplateId, IssuedCouponId, OrderId, UserId } from "../shared/Ids.js"
import { CouponAlreadyUsed, CouponExpired, CouponNotFound, type CouponUseError } from "./CouponErrors.js"

export const CouponStatus = Schema.Literal("AVAILABLE", "USED", "EXPIRED")
export type CouponStatus = typeof CouponStatus.Type

/**
 * One coupon issued to one user. `status` is the STORED state: expiry is derived, not
 * written by a job, so an AVAILABLE coupon past `expiresAt` is EXPIRED to everyone who looks
 * (`couponStatusAt`). EXPIRED is stored only when a coupon is released by its order after expiry.
 */
export class IssuedCoupon extends Schema.Class<IssuedCoupon>("IssuedCoupon")({
  id: IssuedCouponId,
  templateId: CouponTemplateId,
  userId: UserId,
  status: CouponStatus,
  issuedAt: Schema.Date,
  expiresAt: Schema.Date,
  usedByOrderId: Schema.optional(OrderId),
  usedAt: Schema.optional(Schema.Date),
}) {}

/** A coupon is expired from `expiresAt` on (validity is [issuedAt, expiresAt)). */
export const isCouponPastExpiry = (coupon: Pick<IssuedCoupon, "expiresAt">, now: Date): boolean =>
  now.getTime() >= coupon.expiresAt.getTime()

/** The status a user sees at `now`. */
export const couponStatusAt = (coupon: Pick<IssuedCoupon, "status" | "expiresAt">, now: Date): CouponStatus =>
  coupon.status === "AVAILABLE" && isCouponPastExpiry(coupon, now) ? "EXPIRED" : coupon.status

/**
 * AVAILABLE -> USED by `orderId`. Someone else's coupon is "not found" (its existence is not
 * revealed); a USED coupon is already used; an expired one (stored or derived) is expired.
 */
export const useCoupon = (
  coupon: IssuedCoupon,
  userId: UserId,
  orderId: OrderId,
  now: Date,
): Either.Either<IssuedCoupon, CouponUseError> => {
  if (coupon.userId !== userId) return Either.left(new CouponNotFound({ couponId: coupon.id }))
  switch (couponStatusAt(coupon, now)) {
    case "USED":
      return Either.left(new CouponAlreadyUsed({ couponId: coupon.id }))
    case "EXPIRED":
      return Either.left(new CouponExpired({ couponId: coupon.id, expiresAt: coupon.expiresAt }))
    case "AVAILABLE":
      return Either.right(new IssuedCoupon({ ...coupon, status: "USED", usedByOrderId: orderId, usedAt: now }))
  }
}

/**
 * What `restore` did: `Restored` carries the coupon after the change (AVAILABLE, or EXPIRED
 * when it had expired by then); `Unchanged` means the coupon was not in use by that order
 * (already restored, used by another order, never used, or unknown).
 */
export type CouponRestoreOutcome = Data.TaggedEnum<{
  Restored: { readonly coupon: IssuedCoupon }
  Unchanged: {}
}>
export const CouponRestoreOutcome = Data.taggedEnum<CouponRestoreOutcome>()

/** USED by `orderId` -> AVAILABLE, or EXPIRED when `now >= expiresAt`. Anything else is left alone. */
export const releaseCoupon = (coupon: IssuedCoupon, orderId: OrderId, now: Date): CouponRestoreOutcome => {
  if (coupon.status !== "USED" || coupon.usedByOrderId !== orderId) return CouponRestoreOutcome.Unchanged()
  const { usedByOrderId: _order, usedAt: _at, ...rest } = coupon
  const status: CouponStatus = isCouponPastExpiry(coupon, now) ? "EXPIRED" : "AVAILABLE"
  return CouponRestoreOutcome.Restored({ coupon: new IssuedCoupon({ ...rest, status }) })
}
