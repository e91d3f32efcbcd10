import { fc, test } from "@fast-check/vitest"
import { Either } from "effect"
import { describe, expect } from "vitest"
import { mergeQuantity, ProductId, Quantity, validateAddQuantity, validateSetQuantity } from "../../src/index.js"

const productId = ProductId.make(1)
const qty = fc.integer({ min: 1, max: 50 }).map(Quantity.make)

describe("cart line quantities", () => {
  test.prop([fc.nat(50), qty, qty])("merging fails exactly when the sum passes the limit", (current, added, max) => {
    const merged = mergeQuantity(productId, current, added, max)
    if (current + added <= max) expect(Either.getOrThrow(merged)).toBe(current + added)
    else expect(Either.getLeft(merged).pipe((e) => e._tag === "Some" && e.value.requested)).toBe(current + added)
  })

  test.prop([fc.nat(20), qty, qty, qty])(
    "adding a then b equals adding a + b when within the limit",
    (c, a, b, max) => {
      const stepwise = Either.flatMap(mergeQuantity(productId, c, a, max), (m) => mergeQuantity(productId, m, b, max))
      const once = mergeQuantity(productId, c, Quantity.make(a + b), max)
      expect(Either.isRight(stepwise)).toBe(Either.isRight(once))
      if (Either.isRight(once)) expect(Either.getOrThrow(stepwise)).toBe(Either.getOrThrow(once))
    },
  )

  test.prop([fc.oneof(fc.integer({ min: -100, max: 100 }), fc.double({ noInteger: true }))])(
    "add takes integers >= 1 and set takes integers >= 0",
    (n) => {
      expect(Either.isRight(validateAddQuantity(n))).toBe(Number.isInteger(n) && n >= 1)
      expect(Either.isRight(validateSetQuantity(n))).toBe(Number.isInteger(n) && n >= 0)
      const failure = Either.getLeft(validateAddQuantity(n))
      if (failure._tag === "Some") expect(failure.value.field).toBe("quantity")
    },
  )
})
