import { Schema } from "effect"

/** Entity ids are positive safe integers assigned by the store on insert (auto-increment in SQL). */
const EntityId = Schema.Int.pipe(Schema.positive(), Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER))

/** The test every entity id schema makes (a positive safe integer), without the parser, for hot paths. */
export const isEntityId = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0

export const UserId = EntityId.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

export const BrandId = EntityId.pipe(Schema.brand("BrandId"))
export type BrandId = typeof BrandId.Type

export const ProductId = EntityId.pipe(Schema.brand("ProductId"))
export type ProductId = typeof ProductId.Type

export const OrderId = EntityId.pipe(Schema.brand("OrderId"))
export type OrderId = typeof OrderId.Type

/** A coupon template, the thing admins create and users issue from. */
export const CouponTemplateId = EntityId.pipe(Schema.brand("CouponTemplateId"))
export type CouponTemplateId = typeof CouponTemplateId.Type

/** One coupon issued to one user from a template. */
export const IssuedCouponId = EntityId.pipe(Schema.brand("IssuedCouponId"))
export type IssuedCouponId = typeof IssuedCouponId.Type

/** Globally unique id of a domain event (a UUID); the inbox key of every consumer. */
export const EventId = Schema.UUID.pipe(Schema.brand("EventId"))
export type EventId = typeof EventId.Type
