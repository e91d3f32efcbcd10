import { Schema } from "effect"
import { CouponTemplateId, IssuedCouponId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"
import type { CouponTemplate } from "./CouponTemplate.js"
import { CouponType } from "./CouponTemplate.js"
import { CouponStatus, couponStatusAt, type IssuedCoupon } from "./IssuedCoupon.js"

/**
 * An issued coupon as its owner sees it (API: `{id, couponId, name, type, value, maxDiscount,
 * minOrderAmount, status, expiresAt}`): `id` is the issued coupon, `couponId` its template,
 * `status` accounts for expiry, absent limits are null.
 */
export const UserCoupon = Schema.Struct({
  id: IssuedCouponId,
  couponId: CouponTemplateId,
  name: Schema.String,
  type: CouponType,
  value: Schema.Int,
  maxDiscount: Schema.NullOr(Money),
  minOrderAmount: Schema.NullOr(Money),
  status: CouponStatus,
  issuedAt: Schema.Date,
  expiresAt: Schema.Date,
})
export type UserCoupon = typeof UserCoupon.Type

export const toUserCoupon = (coupon: IssuedCoupon, template: CouponTemplate, now: Date): UserCoupon => ({
  id: coupon.id,
  couponId: template.id,
  name: template.name,
  type: template.type,
  value: template.value,
  maxDiscount: template.maxDiscount ?? null,
  minOrderAmount: template.minOrderAmount ?? null,
  status: couponStatusAt(coupon, now),
  issuedAt: coupon.issuedAt,
  expiresAt: coupon.expiresAt,
})
