import fc from "fast-check"
import type { IssuedCouponId, OrderId, ProductId, UserId } from "../../src/index.js"
import { Money } from "../../src/index.js"
import { OrderLine } from "../../src/orders/Order.js"
import type { Quantity } from "../../src/shared/Quantity.js"

export const lineArb = (maxPrice = 1_000_000, maxQuantity = 100) =>
  fc
    .record({
      productId: fc.integer({ min: 1, max: 1_000_000 }),
      productName: fc.string({ minLength: 1, maxLength: 20 }),
      unitPrice: fc.integer({ min: 0, max: maxPrice }),
      quantity: fc.integer({ min: 1, max: maxQuantity }),
    })
    .map(
      (l) =>
        new OrderLine({
          productId: l.productId as ProductId,
          productName: l.productName,
          unitPrice: Money.make(l.unitPrice),
          quantity: l.quantity as Quantity,
        }),
    )

export const linesArb = (minLength = 1, maxLength = 50) =>
  fc.uniqueArray(lineArb(), { minLength, maxLength, selector: (l) => l.productId })

export const orderId = (n: number) => n as OrderId
export const userId = (n: number) => n as UserId
export const couponId = (n: number) => n as IssuedCouponId
