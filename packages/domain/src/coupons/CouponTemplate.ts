import { Either, Schema } from "effect"
import { CouponTemplateId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"
import { DAY_MS } from "../shared/SeoulCalendar.js"
import { CouponNotIssuable, InvalidCouponTemplate } from "./CouponErrors.js"

/** FIXED: `value` is an amount of KRW. RATE: `value` is a percent of the subtotal (1..100). */
export const CouponType = Schema.Literal("FIXED", "RATE")
export type CouponType = typeof CouponType.Type

const PositiveInt = Schema.Int.pipe(Schema.positive(), Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER))

export const COUPON_NAME_MAX_LENGTH = 100
/** Ten years; keeps `issuedAt + validDays` far inside the range of a Date. */
export const COUPON_MAX_VALID_DAYS = 3650

/**
 * What admins create and users issue coupons from. The rules of a valid template live in
 * `validateCouponTemplate`; the Schema only guards the shape (ids, integers, dates).
 */
export class CouponTemplate extends Schema.Class<CouponTemplate>("CouponTemplate")({
  id: CouponTemplateId,
  name: Schema.String,
  type: CouponType,
  value: PositiveInt,
  /** RATE only: the discount never exceeds it. */
  maxDiscount: Schema.optional(Money),
  /** Below this subtotal the coupon gives nothing and checkout refuses it. */
  minOrderAmount: Schema.optional(Money),
  /** Absent = unlimited. */
  totalQuantity: Schema.optional(PositiveInt),
  issueStartsAt: Schema.Date,
  issueEndsAt: Schema.Date,
  validDays: PositiveInt,
  createdAt: Schema.Date,
}) {}

/** A validated template before the store gives it an id. */
export type NewCouponTemplate = Omit<CouponTemplate, "id">

/** What an admin submits (already decoded from JSON: numbers and Dates). */
export interface CouponTemplateInput {
  readonly name: string
  readonly type: CouponType
  readonly value: number
  readonly maxDiscount?: number | undefined
  readonly minOrderAmount?: number | undefined
  readonly totalQuantity?: number | undefined
  readonly issueStartsAt: Date
  readonly issueEndsAt: Date
  readonly validDays: number
}

const invalid = (field: string, reason: string) => Either.left(new InvalidCouponTemplate({ field, reason }))

const isIntIn = (n: number, min: number, max: number) => Number.isSafeInteger(n) && n >= min && n <= max

const isValidDate = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime())

/** Checks every rule of a new template and returns it stamped with `createdAt`, or the first broken rule. */
export const validateCouponTemplate = (
  input: CouponTemplateInput,
  createdAt: Date,
): Either.Either<NewCouponTemplate, InvalidCouponTemplate> => {
  const name = typeof input.name === "string" ? input.name.trim() : ""
  if (name.length === 0) return invalid("name", "must not be blank")
  if (name.length > COUPON_NAME_MAX_LENGTH)
    return invalid("name", `must be at most ${COUPON_NAME_MAX_LENGTH} characters`)
  if (input.type !== "FIXED" && input.type !== "RATE") return invalid("type", "must be FIXED or RATE")
  if (input.type === "FIXED" && !isIntIn(input.value, 1, Number.MAX_SAFE_INTEGER)) {
    return invalid("value", "a FIXED amount must be an integer of at least 1")
  }
  if (input.type === "RATE" && !isIntIn(input.value, 1, 100)) {
    return invalid("value", "a RATE percent must be an integer from 1 to 100")
  }
  if (input.maxDiscount !== undefined) {
    if (input.type !== "RATE") return invalid("maxDiscount", "applies to RATE coupons only")
    if (!isIntIn(input.maxDiscount, 1, Number.MAX_SAFE_INTEGER)) {
      return invalid("maxDiscount", "must be an integer of at least 1")
    }
  }
  if (input.minOrderAmount !== undefined && !isIntIn(input.minOrderAmount, 0, Number.MAX_SAFE_INTEGER)) {
    return invalid("minOrderAmount", "must be a non-negative integer")
  }
  if (input.totalQuantity !== undefined && !isIntIn(input.totalQuantity, 1, Number.MAX_SAFE_INTEGER)) {
    return invalid("totalQuantity", "must be an integer of at least 1")
  }
  if (!isValidDate(input.issueStartsAt)) return invalid("issueStartsAt", "must be a valid instant")
  if (!isValidDate(input.issueEndsAt)) return invalid("issueEndsAt", "must be a valid instant")
  if (input.issueStartsAt.getTime() >= input.issueEndsAt.getTime()) {
    return invalid("issueEndsAt", "must be after issueStartsAt")
  }
  if (!isIntIn(input.validDays, 1, COUPON_MAX_VALID_DAYS)) {
    return invalid("validDays", `must be an integer from 1 to ${COUPON_MAX_VALID_DAYS}`)
  }
  return Either.right({
    name,
    type: input.type,
    value: input.value,
    ...(input.maxDiscount !== undefined ? { maxDiscount: Money.make(input.maxDiscount) } : {}),
    ...(input.minOrderAmount !== undefined ? { minOrderAmount: Money.make(input.minOrderAmount) } : {}),
    ...(input.totalQuantity !== undefined ? { totalQuantity: input.totalQuantity } : {}),
    issueStartsAt: new Date(input.issueStartsAt.getTime()),
    issueEndsAt: new Date(input.issueEndsAt.getTime()),
    validDays: input.validDays,
    createdAt,
  })
}

/** Issuing is open on [issueStartsAt, issueEndsAt). */
export const checkCouponIssueWindow = (
  template: Pick<CouponTemplate, "id" | "issueStartsAt" | "issueEndsAt">,
  now: Date,
): Either.Either<void, CouponNotIssuable> => {
  const t = now.getTime()
  if (t < template.issueStartsAt.getTime()) {
    return Either.left(new CouponNotIssuable({ templateId: template.id, reason: "NOT_STARTED" }))
  }
  if (t >= template.issueEndsAt.getTime()) {
    return Either.left(new CouponNotIssuable({ templateId: template.id, reason: "ENDED" }))
  }
  return Either.void
}

/** A coupon issued at `issuedAt` can be used while now < issuedAt + validDays days. */
export const couponExpiresAt = (template: Pick<CouponTemplate, "validDays">, issuedAt: Date): Date =>
  new Date(issuedAt.getTime() + template.validDays * DAY_MS)
