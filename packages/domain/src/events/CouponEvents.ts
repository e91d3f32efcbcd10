import { Schema } from "effect"
import { CouponTemplateId, IssuedCouponId, OrderId, UserId } from "../shared/Ids.js"
import { eventFields } from "./EventFields.js"

export const CouponIssued = Schema.TaggedStruct("CouponIssued", {
  ...eventFields,
  couponId: IssuedCouponId,
  templateId: CouponTemplateId,
  userId: UserId,
})
export type CouponIssued = typeof CouponIssued.Type

export const CouponUsed = Schema.TaggedStruct("CouponUsed", {
  ...eventFields,
  couponId: IssuedCouponId,
  orderId: OrderId,
  userId: UserId,
})
export type CouponUsed = typeof CouponUsed.Type

export const CouponRestored = Schema.TaggedStruct("CouponRestored", {
  ...eventFields,
  couponId: IssuedCouponId,
  orderId: OrderId,
  userId: UserId,
})
export type CouponRestored = typeof CouponRestored.Type
