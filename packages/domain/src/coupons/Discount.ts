import { Either } from "effect"
import * as Money from "../shared/Money.js"
import { CouponMinOrderAmountNotMet } from "./CouponErrors.js"
import type { CouponTemplate } from "./CouponTemplate.js"

/** The parts of a template that decide a discount. */
export type CouponDiscountTerms = Pick<CouponTemplate, "type" | "value" | "maxDiscount" | "minOrderAmount">

/**
 * FIXED = min(value, subtotal); RATE = floor(subtotal * value / 100) capped at maxDiscount;
 * zero when subtotal < minOrderAmount. Never above the subtotal.
 */
export const discountFor = (terms: CouponDiscountTerms, subtotal: Money.Money): Money.Money => {
  if (terms.minOrderAmount !== undefined && subtotal < terms.minOrderAmount) return Money.zero
  if (terms.type === "FIXED") return Money.min(Money.make(terms.value), subtotal)
  const rated = Money.percentOf(subtotal, terms.value)
  return terms.maxDiscount === undefined ? rated : Money.min(rated, terms.maxDiscount)
}

/** The discount at checkout, where a subtotal below minOrderAmount is an error rather than zero. */
export const couponDiscountAtCheckout = (
  terms: CouponDiscountTerms,
  subtotal: Money.Money,
): Either.Either<Money.Money, CouponMinOrderAmountNotMet> =>
  terms.minOrderAmount !== undefined && subtotal < terms.minOrderAmount
    ? Either.left(new CouponMinOrderAmountNotMet({ minOrderAmount: terms.minOrderAmount, subtotal }))
    : Either.right(discountFor(terms, subtotal))
