import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { listingOrder, Money, ProductId, type ProductSort } from "../../src/index.js"

const sortable = fc.record({
  id: fc.integer({ min: 1, max: 50 }).map(ProductId.make),
  createdAt: fc.integer({ min: 0, max: 3 }).map((s) => new Date(s * 1000)),
  price: fc.constantFrom(0, 100, 200).map(Money.make),
  likeCount: fc.nat(3),
})
type Sortable = typeof sortable extends fc.Arbitrary<infer A> ? A : never

const key: Record<ProductSort, (p: Sortable) => number> = {
  latest: (p) => -p.createdAt.getTime(),
  price_asc: (p) => p.price,
  likes_desc: (p) => -p.likeCount,
}

describe("listingOrder", () => {
  test.prop([
    fc.uniqueArray(sortable, { selector: (p) => p.id }),
    fc.constantFrom<ProductSort>("latest", "price_asc", "likes_desc"),
  ])("sorts by the sort's key, then by id descending", (products, sort) => {
    const sorted = [...products].sort(listingOrder(sort))
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!
      const b = sorted[i]!
      expect(key[sort](a)).toBeLessThanOrEqual(key[sort](b))
      if (key[sort](a) === key[sort](b)) expect(a.id).toBeGreaterThan(b.id)
    }
  })

  test.prop([sortable, sortable, fc.constantFrom<ProductSort>("latest", "price_asc", "likes_desc")])(
    "is antisymmetric and equal only for the same id",
    (a, b, sort) => {
      const order = listingOrder(sort)
      expect(order(a, b) + order(b, a)).toBe(0)
      if (a.id !== b.id) expect(order(a, b)).not.toBe(0)
    },
  )
})
