import { fc, test } from "@fast-check/vitest"
import { Either } from "effect"
import { describe, expect } from "vitest"
import { Money } from "../src/index.js"

const money = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map(Money.make)
const isMoney = (n: number) => Number.isSafeInteger(n) && n >= 0

describe("Money", () => {
  test.prop([money, money])("add is exact or refuses; never negative or unsafe", (a, b) => {
    const result = Money.add(a, b)
    if (Either.isRight(result)) expect(result.right).toBe(a + b)
    else expect(isMoney(a + b)).toBe(false)
  })

  test.prop([money, money])("subtract refuses exactly when the result would be negative", (a, b) => {
    const result = Money.subtract(a, b)
    expect(Either.isRight(result)).toBe(a >= b)
    if (Either.isRight(result)) expect(result.right).toBe(a - b)
  })

  test.prop([fc.integer({ min: 0, max: 10_000_000 }).map(Money.make), fc.integer({ min: 0, max: 1_000 })])(
    "multiply is exact within range",
    (unit, times) => {
      expect(Either.getOrThrow(Money.multiply(unit, times))).toBe(unit * times)
    },
  )

  test.prop([money, fc.integer({ min: 0, max: 100 })])("percentOf floors and never exceeds the amount", (a, p) => {
    const result = Money.percentOf(a, p)
    expect(result).toBeLessThanOrEqual(a)
    expect(isMoney(result)).toBe(true)
    expect(BigInt(result)).toBe((BigInt(a) * BigInt(p)) / 100n)
  })

  test.prop([fc.array(fc.integer({ min: 0, max: 2 ** 40 }).map(Money.make), { maxLength: 50 })])(
    "sum equals the arithmetic sum while safe",
    (amounts) => {
      expect(Either.getOrThrow(Money.sum(amounts))).toBe(amounts.reduce((s, a) => s + a, 0))
    },
  )

  test("percentOf rejects a percent outside 0..100", () => {
    expect(() => Money.percentOf(Money.make(100), 101)).toThrow(RangeError)
    expect(() => Money.percentOf(Money.make(100), 1.5)).toThrow(RangeError)
  })

  test("make rejects negatives, fractions and unsafe numbers", () => {
    expect(() => Money.make(-1)).toThrow()
    expect(() => Money.make(1.5)).toThrow()
    expect(() => Money.make(2 ** 53)).toThrow()
  })
})
