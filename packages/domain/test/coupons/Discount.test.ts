import { fc, test } from "@fast-check/vitest"
import { Either } from "effect"
import { describe, expect } from "vitest"
import { type CouponDiscountTerms, couponDiscountAtCheckout, discountFor, Money } from "../../src/index.js"

const money = (max = Number.MAX_SAFE_INTEGER) => fc.integer({ min: 0, max }).map(Money.make)
const optional = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: undefined })

const withOptional = (terms: {
  type: "FIXED" | "RATE"
  value: number
  maxDiscount: Money.Money | undefined
  minOrderAmount: Money.Money | undefined
}): CouponDiscountTerms => ({
  type: terms.type,
  value: terms.value,
  ...(terms.maxDiscount !== undefined ? { maxDiscount: terms.maxDiscount } : {}),
  ...(terms.minOrderAmount !== undefined ? { minOrderAmount: terms.minOrderAmount } : {}),
})

const fixedTerms = fc
  .record({
    type: fc.constant("FIXED" as const),
    value: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    maxDiscount: fc.constant(undefined),
    minOrderAmount: optional(money(10_000_000)),
  })
  .map(withOptional)
const rateTerms = fc
  .record({
    type: fc.constant("RATE" as const),
    value: fc.integer({ min: 1, max: 100 }),
    maxDiscount: optional(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }).map(Money.make)),
    minOrderAmount: optional(money(10_000_000)),
  })
  .map(withOptional)
const terms = fc.oneof(fixedTerms, rateTerms)
const subtotal = fc.oneof(money(100_000_000), money())

/** The rule of DOMAIN.md, written with BigInt so that it is independent of Money.percentOf. */
const expected = (t: CouponDiscountTerms, s: number): number => {
  if (t.minOrderAmount !== undefined && s < t.minOrderAmount) return 0
  if (t.type === "FIXED") return Math.min(t.value, s)
  const rated = Number((BigInt(s) * BigInt(t.value)) / 100n)
  return t.maxDiscount === undefined ? rated : Math.min(rated, t.maxDiscount)
}

describe("discountFor", () => {
  test.prop([terms, subtotal])("never exceeds the subtotal and equals the formula", (t, s) => {
    const discount = discountFor(t, s)
    expect(discount).toBeLessThanOrEqual(s)
    expect(discount).toBeGreaterThanOrEqual(0)
    expect(Number.isSafeInteger(discount)).toBe(true)
    expect(discount).toBe(expected(t, s))
  })

  test.prop([rateTerms, subtotal])("a RATE discount never exceeds its cap", (t, s) => {
    if (t.maxDiscount !== undefined) expect(discountFor(t, s)).toBeLessThanOrEqual(t.maxDiscount)
  })

  test.prop([terms, subtotal])("is zero exactly below minOrderAmount", (t, s) => {
    if (t.minOrderAmount !== undefined && s < t.minOrderAmount) expect(discountFor(t, s)).toBe(0)
  })

  test("examples", () => {
    const m = Money.make
    expect(discountFor({ type: "FIXED", value: 3_000 }, m(10_000))).toBe(3_000)
    expect(discountFor({ type: "FIXED", value: 3_000 }, m(2_000))).toBe(2_000)
    expect(discountFor({ type: "RATE", value: 15 }, m(9_999))).toBe(1_499)
    expect(discountFor({ type: "RATE", value: 50, maxDiscount: m(1_000) }, m(10_000))).toBe(1_000)
    expect(discountFor({ type: "RATE", value: 100 }, m(7_777))).toBe(7_777)
    expect(discountFor({ type: "FIXED", value: 500, minOrderAmount: m(10_000) }, m(9_999))).toBe(0)
    expect(discountFor({ type: "FIXED", value: 500, minOrderAmount: m(10_000) }, m(10_000))).toBe(500)
  })
})

describe("couponDiscountAtCheckout", () => {
  test.prop([terms, subtotal])("fails below minOrderAmount, otherwise gives discountFor", (t, s) => {
    const result = couponDiscountAtCheckout(t, s)
    if (t.minOrderAmount !== undefined && s < t.minOrderAmount) {
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isLeft(result)) {
        expect(result.left.code).toBe("COUPON_MIN_ORDER_AMOUNT_NOT_MET")
        expect(result.left.kind).toBe("invalid")
        expect(result.left.minOrderAmount).toBe(t.minOrderAmount)
        expect(result.left.subtotal).toBe(s)
      }
    } else {
      expect(Either.getOrThrow(result)).toBe(discountFor(t, s))
    }
  })
})
