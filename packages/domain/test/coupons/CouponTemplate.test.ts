import { fc, test } from "@fast-check/vitest"
import { Either } from "effect"
import { describe, expect } from "vitest"
import {
  COUPON_MAX_VALID_DAYS,
  COUPON_NAME_MAX_LENGTH,
  CouponTemplateId,
  type CouponTemplateInput,
  checkCouponIssueWindow,
  couponExpiresAt,
  validateCouponTemplate,
} from "../../src/index.js"

const DAY = 86_400_000
const T0 = new Date("2026-03-01T00:00:00.000Z")
const createdAt = new Date("2026-02-01T00:00:00.000Z")

const valid: CouponTemplateInput = {
  name: "Spring 10%",
  type: "RATE",
  value: 10,
  maxDiscount: 5_000,
  minOrderAmount: 20_000,
  totalQuantity: 100,
  issueStartsAt: T0,
  issueEndsAt: new Date(T0.getTime() + 7 * DAY),
  validDays: 14,
}

const fieldOf = (input: CouponTemplateInput) => {
  const result = validateCouponTemplate(input, createdAt)
  if (Either.isRight(result)) return "valid"
  expect(result.left.code).toBe("INVALID_COUPON_TEMPLATE")
  expect(result.left.kind).toBe("invalid")
  return result.left.field
}

describe("validateCouponTemplate", () => {
  test("accepts a valid template, trims the name and stamps createdAt", () => {
    const template = Either.getOrThrow(validateCouponTemplate({ ...valid, name: "  Spring 10%  " }, createdAt))
    expect(template).toEqual({ ...valid, name: "Spring 10%", createdAt })
  })

  test("leaves absent limits absent", () => {
    const template = Either.getOrThrow(
      validateCouponTemplate(
        {
          name: "Flat",
          type: "FIXED",
          value: 3_000,
          issueStartsAt: T0,
          issueEndsAt: new Date(T0.getTime() + 1),
          validDays: 1,
        },
        createdAt,
      ),
    )
    expect("maxDiscount" in template).toBe(false)
    expect("minOrderAmount" in template).toBe(false)
    expect("totalQuantity" in template).toBe(false)
  })

  test.each([
    [{ name: "   " }, "name"],
    [{ name: "x".repeat(COUPON_NAME_MAX_LENGTH + 1) }, "name"],
    [{ type: "PERCENT" as never }, "type"],
    [{ value: 0 }, "value"],
    [{ value: 101 }, "value"],
    [{ value: 10.5 }, "value"],
    [{ type: "FIXED" as const, value: 0, maxDiscount: undefined }, "value"],
    [{ type: "FIXED" as const, value: -5, maxDiscount: undefined }, "value"],
    [{ type: "FIXED" as const, value: 1_000 }, "maxDiscount"],
    [{ maxDiscount: 0 }, "maxDiscount"],
    [{ maxDiscount: 1.5 }, "maxDiscount"],
    [{ minOrderAmount: -1 }, "minOrderAmount"],
    [{ minOrderAmount: Number.MAX_SAFE_INTEGER + 2 }, "minOrderAmount"],
    [{ totalQuantity: 0 }, "totalQuantity"],
    [{ totalQuantity: 2.5 }, "totalQuantity"],
    [{ issueStartsAt: new Date(Number.NaN) }, "issueStartsAt"],
    [{ issueEndsAt: new Date(Number.NaN) }, "issueEndsAt"],
    [{ issueEndsAt: T0 }, "issueEndsAt"],
    [{ issueEndsAt: new Date(T0.getTime() - 1) }, "issueEndsAt"],
    [{ validDays: 0 }, "validDays"],
    [{ validDays: COUPON_MAX_VALID_DAYS + 1 }, "validDays"],
    [{ validDays: 1.5 }, "validDays"],
  ] as const)("rejects %o naming field %s", (patch, field) => {
    expect(fieldOf({ ...valid, ...patch })).toBe(field)
  })

  test("accepts the edges: RATE 1 and 100, FIXED 1, minOrderAmount 0, totalQuantity 1, validDays max", () => {
    for (const patch of [
      { value: 1 },
      { value: 100 },
      { type: "FIXED" as const, value: 1, maxDiscount: undefined },
      { minOrderAmount: 0 },
      { totalQuantity: 1 },
      { validDays: COUPON_MAX_VALID_DAYS },
    ]) {
      expect(fieldOf({ ...valid, ...patch })).toBe("valid")
    }
  })

  test.prop([fc.integer({ min: -1_000, max: 1_000 }), fc.constantFrom("FIXED" as const, "RATE" as const)])(
    "value is accepted exactly within its type's range",
    (value, type) => {
      const ok = type === "RATE" ? value >= 1 && value <= 100 : value >= 1
      const input = { ...valid, type, value, maxDiscount: undefined }
      expect(fieldOf(input)).toBe(ok ? "valid" : "value")
    },
  )
})

describe("issue window and expiry", () => {
  const template = {
    id: CouponTemplateId.make(1),
    issueStartsAt: T0,
    issueEndsAt: new Date(T0.getTime() + DAY),
  }

  test("is open on [issueStartsAt, issueEndsAt)", () => {
    const reason = (ms: number) => {
      const result = checkCouponIssueWindow(template, new Date(T0.getTime() + ms))
      return Either.isRight(result) ? "open" : result.left.reason
    }
    expect(reason(-1)).toBe("NOT_STARTED")
    expect(reason(0)).toBe("open")
    expect(reason(DAY - 1)).toBe("open")
    expect(reason(DAY)).toBe("ENDED")
    const error = checkCouponIssueWindow(template, new Date(T0.getTime() + DAY))
    if (Either.isLeft(error)) {
      expect(error.left.code).toBe("COUPON_NOT_ISSUABLE")
      expect(error.left.templateId).toBe(1)
    } else expect.unreachable()
  })

  test.prop([fc.integer({ min: 1, max: COUPON_MAX_VALID_DAYS }), fc.integer({ min: 0, max: 4_000_000_000_000 })])(
    "a coupon expires exactly validDays days after issue",
    (validDays, issuedMs) => {
      expect(couponExpiresAt({ validDays }, new Date(issuedMs)).getTime()).toBe(issuedMs + validDays * DAY)
    },
  )
})
