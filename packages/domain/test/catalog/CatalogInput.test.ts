import { fc, test } from "@fast-check/vitest"
import { Effect, Either, Exit } from "effect"
import { describe, expect, it } from "vitest"
import {
  BrandId,
  type CreateProductInput,
  type InvalidInput,
  validateBrand,
  validateChanges,
  validateDelta,
  validateProduct,
} from "../../src/index.js"

const valid: CreateProductInput = {
  brandId: BrandId.make(1),
  name: "  Shoe ",
  description: "",
  price: 0,
  stock: 0,
  maxOrderQuantity: 1,
}

const failureOf = <A>(effect: Effect.Effect<A, InvalidInput>) => {
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected a typed failure")
  return exit.cause.error
}

const notANonNegativeInt = fc.oneof(
  fc.integer({ max: -1 }),
  fc.double({ noInteger: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2),
)

describe("catalog input validation", () => {
  it("accepts the boundary values and trims names", () => {
    const product = Effect.runSync(validateProduct(valid))
    expect(product).toMatchObject({ name: "Shoe", price: 0, stock: 0, maxOrderQuantity: 1, status: "ACTIVE" })
  })

  test.prop([notANonNegativeInt])("a bad price fails naming the price", (price) => {
    expect(failureOf(validateProduct({ ...valid, price }))).toMatchObject({ _tag: "InvalidInput", field: "price" })
  })

  test.prop([notANonNegativeInt])("a bad stock fails naming the stock", (stock) => {
    expect(failureOf(validateProduct({ ...valid, stock })).field).toBe("stock")
  })

  test.prop([fc.oneof(fc.integer({ max: 0 }), fc.double({ noInteger: true }))])(
    "a maxOrderQuantity below 1 or fractional fails naming it",
    (maxOrderQuantity) => {
      expect(failureOf(validateProduct({ ...valid, maxOrderQuantity })).field).toBe("maxOrderQuantity")
    },
  )

  test.prop([
    fc.oneof(
      fc.stringMatching(/^\s*$/),
      fc.string({ minLength: 101, maxLength: 300 }).filter((s) => s.trim().length > 100),
    ),
  ])("blank or overlong names fail naming the name", (name) => {
    expect(failureOf(validateProduct({ ...valid, name })).field).toBe("name")
    expect(failureOf(validateBrand({ name, description: "" })).field).toBe("name")
  })

  it("rejects descriptions over 2000 characters and unknown statuses", () => {
    expect(failureOf(validateProduct({ ...valid, description: "x".repeat(2001) })).field).toBe("description")
    const status = "DELETED" as unknown as "ACTIVE"
    expect(failureOf(validateProduct({ ...valid, status })).field).toBe("status")
    expect(Effect.runSync(validateProduct({ ...valid, description: "x".repeat(2000) })).description).toHaveLength(2000)
  })

  it("keeps only the present fields of a patch", () => {
    expect(Effect.runSync(validateChanges({}))).toEqual({})
    expect(Effect.runSync(validateChanges({ price: 5, name: undefined, status: "INACTIVE" }))).toEqual({
      price: 5,
      status: "INACTIVE",
    })
    expect(failureOf(validateChanges({ name: "ok", maxOrderQuantity: 0 })).field).toBe("maxOrderQuantity")
  })

  test.prop([fc.integer({ min: -1_000_000, max: 1_000_000 })])("a delta is any non-zero integer", (delta) => {
    expect(Either.isRight(validateDelta(delta))).toBe(delta !== 0)
  })

  it("rejects a fractional or unsafe delta", () => {
    for (const delta of [0.5, Number.NaN, 2 ** 60, -(2 ** 60)]) {
      expect(Either.getLeft(validateDelta(delta)).pipe((e) => e._tag === "Some" && e.value.field)).toBe("delta")
    }
  })
})
