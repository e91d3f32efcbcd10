import { describe, expect, it } from "@effect/vitest"
import { test } from "@fast-check/vitest"
import { Either } from "effect"
import fc from "fast-check"
import { Money } from "../../src/index.js"
import { create, MAX_ORDER_LINES, OrderLine, subtotalOf, validateRequestedLines } from "../../src/orders/Order.js"
import type { ProductId } from "../../src/shared/Ids.js"
import type { Quantity } from "../../src/shared/Quantity.js"
import { couponId, lineArb, linesArb, orderId, userId } from "./arbitraries.js"

const now = new Date(1_700_000_000_000)

const place = (lines: ReadonlyArray<OrderLine>, discount = 0) =>
  create({
    id: orderId(1),
    userId: userId(7),
    lines,
    discount: Money.make(discount),
    couponId: discount > 0 ? couponId(3) : undefined,
    paymentType: "POINT",
    now,
  })

const line = (productId: number, unitPrice: number, quantity: number) =>
  new OrderLine({
    productId: productId as ProductId,
    productName: `p${productId}`,
    unitPrice: Money.make(unitPrice),
    quantity: quantity as Quantity,
  })

describe("Order.create", () => {
  test.prop([linesArb(), fc.double({ min: 0, max: 1, noNaN: true })])(
    "subtotal = sum(price x qty), paid = subtotal - discount, never negative",
    (lines, ratio) => {
      const expected = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0)
      const discount = Math.floor(expected * ratio)
      const change = Either.getOrThrow(place(lines, discount))
      expect(change.order.subtotal).toBe(expected)
      expect(change.order.discount).toBe(discount)
      expect(change.order.paidAmount).toBe(expected - discount)
      expect(change.order.paidAmount).toBeGreaterThanOrEqual(0)
      expect(change.order.status).toBe("PENDING_PAYMENT")
      expect(change.order.history.map((h) => h.status)).toEqual(["PENDING_PAYMENT"])
      expect(change.events).toHaveLength(1)
      const placed = change.events[0]
      expect(placed?._tag).toBe("OrderPlaced")
      if (placed?._tag === "OrderPlaced") {
        expect(placed.subtotal).toBe(expected)
        expect(placed.lines.map((l) => l.productId)).toEqual(lines.map((l) => l.productId))
        expect(placed.couponId).toBe(discount > 0 ? 3 : undefined)
      }
    },
  )

  test.prop([linesArb(), fc.integer({ min: 1, max: 1_000 })])(
    "a discount above the subtotal is refused",
    (lines, extra) => {
      const subtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0)
      const result = place(lines, subtotal + extra)
      expect(Either.isLeft(result) && result.left._tag).toBe("DiscountExceedsSubtotal")
    },
  )

  it("refuses no lines, more than 50 lines and duplicate products", () => {
    const many = Array.from({ length: MAX_ORDER_LINES + 1 }, (_, i) => line(i + 1, 10, 1))
    for (const lines of [[], many, [line(1, 10, 1), line(1, 20, 2)]]) {
      const result = place(lines)
      expect(Either.isLeft(result) && result.left.code).toBe("INVALID_ORDER_LINES")
    }
    expect(Either.isRight(place(many.slice(0, MAX_ORDER_LINES)))).toBe(true)
  })

  it("fails with AMOUNT_OUT_OF_RANGE instead of overflowing", () => {
    const huge = line(1, Number.MAX_SAFE_INTEGER - 1, 2)
    const result = place([huge])
    expect(Either.isLeft(result) && result.left.code).toBe("AMOUNT_OUT_OF_RANGE")
    const sum = subtotalOf([line(1, Number.MAX_SAFE_INTEGER - 5, 1), line(2, 10, 1)])
    expect(Either.isLeft(sum)).toBe(true)
  })

  test.prop([fc.array(fc.record({ productId: fc.integer(), quantity: fc.integer() }), { maxLength: 60 })])(
    "requested lines pass exactly when 1..50 distinct positive ids with positive integer quantities",
    (lines) => {
      const ok =
        lines.length >= 1 &&
        lines.length <= 50 &&
        new Set(lines.map((l) => l.productId)).size === lines.length &&
        lines.every((l) => l.productId > 0 && l.quantity > 0)
      expect(Either.isRight(validateRequestedLines(lines))).toBe(ok)
    },
  )

  test.prop([
    fc.array(
      fc.record({
        price: fc.oneof(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
        quantity: fc.integer({ min: 1, max: 1_000 }),
      }),
      { minLength: 1, maxLength: 50 },
    ),
  ])("the subtotal is the exact sum of price x quantity, or AMOUNT_OUT_OF_RANGE beyond Money", (terms) => {
    const exact = terms.reduce((sum, t) => sum + BigInt(t.price) * BigInt(t.quantity), 0n)
    const result = subtotalOf(terms.map((t, i) => line(i + 1, t.price, t.quantity)))
    if (exact <= BigInt(Number.MAX_SAFE_INTEGER)) expect(result).toEqual(Either.right(Number(exact)))
    else expect(Either.isLeft(result) && result.left.code).toBe("AMOUNT_OUT_OF_RANGE")
  })

  test.prop([lineArb()])("stores name and unit price as given at order time", (l) => {
    const order = Either.getOrThrow(place([l])).order
    expect(order.lines[0]).toEqual(l)
  })
})
