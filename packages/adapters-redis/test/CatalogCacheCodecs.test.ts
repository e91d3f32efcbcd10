import {
  BrandId,
  CatalogDescription,
  CatalogName,
  Money,
  Product,
  ProductId,
  Quantity,
  StockLevel,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { productCodec } from "../src/catalog/CatalogCacheCodecs.js"

const product = (id: number, stock: number) =>
  new Product({
    id: ProductId.make(id),
    brandId: BrandId.make(1),
    name: CatalogName.make("Runner"),
    description: CatalogDescription.make(""),
    price: Money.make(59_000),
    stock: StockLevel.make(stock),
    maxOrderQuantity: Quantity.make(3),
    status: "ACTIVE",
    likeCount: 4,
    createdAt: new Date(Date.UTC(2026, 10, 21)),
  })

describe("catalog cache codecs", () => {
  it("decode inverts encode, and a text seen again gives the very same value", () => {
    const text = productCodec.encode(product(1, 5))
    const first = productCodec.decode(text)
    expect(Option.getOrThrow(first)).toEqual(product(1, 5))
    // a distinct string object with the same text, as every Redis reply is
    const again = productCodec.decode(`${text} `.trimEnd())
    expect(Option.getOrThrow(again)).toBe(Option.getOrThrow(first))
  })

  it("a changed text decodes to its own value, even after a thousand others", () => {
    const before = Option.getOrThrow(productCodec.decode(productCodec.encode(product(2, 5))))
    for (let i = 0; i < 1_500; i++) productCodec.decode(productCodec.encode(product(1_000 + i, i)))
    const after = Option.getOrThrow(productCodec.decode(productCodec.encode(product(2, 4))))
    expect(after.stock).toBe(4)
    expect(before.stock).toBe(5)
    expect(Option.getOrThrow(productCodec.decode(productCodec.encode(product(2, 5))))).toEqual(before)
  })

  it("an undecodable text reads as a miss, every time", () => {
    expect(Option.isNone(productCodec.decode('{"id":"x"}'))).toBe(true)
    expect(Option.isNone(productCodec.decode('{"id":"x"}'))).toBe(true)
    expect(Option.isNone(productCodec.decode("not json"))).toBe(true)
  })
})
