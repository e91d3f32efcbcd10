import { fc, test } from "@fast-check/vitest"
import { Equal, Schema } from "effect"
import { describe, expect } from "vitest"
import {
  BrandId,
  CatalogDescription,
  CatalogName,
  Money,
  Product,
  ProductId,
  Quantity,
  StockLevel,
  withStock,
} from "../../src/index.js"

const product = fc
  .record({
    id: fc.integer({ min: 1, max: 1_000_000 }),
    brandId: fc.integer({ min: 1, max: 1_000 }),
    name: fc.constantFrom("Shoe", "Bag", "Hat"),
    price: fc.integer({ min: 0, max: 10_000_000 }),
    stock: fc.integer({ min: 0, max: 1_000_000 }),
    maxOrderQuantity: fc.integer({ min: 1, max: 100 }),
    status: fc.constantFrom("ACTIVE" as const, "INACTIVE" as const),
    likeCount: fc.integer({ min: 0, max: 1_000 }),
    createdAt: fc.integer({ min: 0, max: 2 ** 42 }).map((ms) => new Date(ms)),
  })
  .map(
    (p) =>
      new Product({
        ...p,
        id: ProductId.make(p.id),
        brandId: BrandId.make(p.brandId),
        name: CatalogName.make(p.name),
        description: CatalogDescription.make(""),
        price: Money.make(p.price),
        stock: StockLevel.make(p.stock),
        maxOrderQuantity: Quantity.make(p.maxOrderQuantity),
      }),
  )

describe("withStock", () => {
  test.prop([product, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })])(
    "builds exactly what the validating constructor builds, and leaves the original alone",
    (original, stock) => {
      const before = Schema.encodeSync(Product)(original)
      const copied = withStock(original, StockLevel.make(stock))
      const constructed = new Product({ ...original, stock: StockLevel.make(stock) })
      expect(copied).toBeInstanceOf(Product)
      expect(copied).toStrictEqual(constructed)
      expect(Equal.equals(copied, constructed)).toBe(true)
      expect(Schema.encodeSync(Product)(copied)).toEqual(Schema.encodeSync(Product)(constructed))
      expect(Schema.is(Product)(copied)).toBe(true)
      expect(Schema.encodeSync(Product)(original)).toEqual(before)
    },
  )
})
