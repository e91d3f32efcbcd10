import { BrandRepository, CatalogName, Money, ProductId, ProductRepository, Quantity } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { aBrand, aProduct, seedProduct } from "./CatalogFixtures.js"

type Catalog = BrandRepository | ProductRepository

/** Storage, lookup, update and like counts of ProductRepository. Stock and listing have suites of their own. */
export const productRepositoryContract = (makeLayer: () => Layer.Layer<Catalog, unknown>) => {
  const run = <A, E>(self: Effect.Effect<A, E, Catalog>) => Effect.provide(self, makeLayer())
  const unknownId = ProductId.make(987_654)

  describe("ProductRepository contract", () => {
    it.effect("insert stores every field, starts with no likes and findById returns it", () =>
      run(
        Effect.gen(function* () {
          const brand = yield* (yield* BrandRepository).insert(aBrand())
          const products = yield* ProductRepository
          const input = aProduct(brand.id, {
            name: "Shoe",
            price: 39_000,
            stock: 7,
            maxOrderQuantity: 3,
            status: "INACTIVE",
            createdAt: new Date(5_000),
          })
          const product = yield* products.insert(input)
          expect(product.id).toBeGreaterThan(0)
          const expected = { ...input, id: product.id, likeCount: 0 }
          expect({ ...product }).toEqual(expected)
          expect({ ...Option.getOrThrow(yield* products.findById(product.id)) }).toEqual(expected)
        }),
      ),
    )

    it.effect("findById of an unknown id is none", () =>
      run(
        Effect.gen(function* () {
          expect(Option.isNone(yield* (yield* ProductRepository).findById(unknownId))).toBe(true)
        }),
      ),
    )

    it.effect("findDetail gives the product with its brand's name and active flag, and follows changes to both", () =>
      run(
        Effect.gen(function* () {
          const brands = yield* BrandRepository
          const products = yield* ProductRepository
          const brand = yield* brands.insert(aBrand({ name: "Acme" }))
          const product = yield* products.insert(aProduct(brand.id, { name: "Shoe", stock: 0 }))
          const detail = Option.getOrThrow(yield* products.findDetail(product.id))
          expect({ ...detail.product }).toEqual({ ...product })
          expect(detail).toMatchObject({ brandName: "Acme", brandActive: true, status: "OUT_OF_STOCK" })
          yield* products.update(product.id, { price: Money.make(12_345) })
          yield* brands.setActive(brand.id, false)
          const after = Option.getOrThrow(yield* products.findDetail(product.id))
          expect(after.product.price).toBe(12_345)
          expect(after.brandActive).toBe(false)
          expect(Option.isNone(yield* products.findDetail(unknownId))).toBe(true)
        }),
      ),
    )

    it.effect("findDetails gives the existing products among the ids with their brands, ascending id, once each", () =>
      run(
        Effect.gen(function* () {
          const brands = yield* BrandRepository
          const products = yield* ProductRepository
          const acme = yield* brands.insert(aBrand({ name: "Acme" }))
          const other = yield* brands.insert(aBrand({ name: "Other", active: false }))
          const a = yield* products.insert(aProduct(acme.id, { name: "A" }))
          const b = yield* products.insert(aProduct(other.id, { name: "B" }))
          const found = yield* products.findDetails([b.id, unknownId, a.id, b.id])
          expect(found.map((d) => [d.product.name, d.brandName, d.brandActive])).toEqual([
            ["A", "Acme", true],
            ["B", "Other", false],
          ])
          expect(yield* products.findDetails([])).toEqual([])
          yield* products.update(a.id, { name: CatalogName.make("A2") })
          expect((yield* products.findDetails([a.id])).map((d) => d.product.name)).toEqual(["A2"])
        }),
      ),
    )

    it.effect("findByIds returns the existing products in ascending id, once each", () =>
      run(
        Effect.gen(function* () {
          const brand = yield* (yield* BrandRepository).insert(aBrand())
          const products = yield* ProductRepository
          const a = yield* products.insert(aProduct(brand.id, { name: "A" }))
          const b = yield* products.insert(aProduct(brand.id, { name: "B" }))
          const c = yield* products.insert(aProduct(brand.id, { name: "C" }))
          const found = yield* products.findByIds([c.id, unknownId, a.id, c.id])
          expect(found.map((p) => p.id)).toEqual([a.id, c.id])
          expect(found.map((p) => p.name)).toEqual(["A", "C"])
          expect(yield* products.findByIds([])).toEqual([])
          expect((yield* products.findByIds([b.id])).map((p) => p.name)).toEqual(["B"])
        }),
      ),
    )

    it.effect("update changes only the given fields and keeps stock and likes", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct({ name: "Old", price: 100, stock: 4, maxOrderQuantity: 2 })
          const products = yield* ProductRepository
          yield* products.incrementLikeCount(product.id)
          const updated = yield* products.update(product.id, {
            name: CatalogName.make("New"),
            price: Money.make(250),
          })
          expect(updated).toMatchObject({
            name: "New",
            price: 250,
            stock: 4,
            maxOrderQuantity: 2,
            status: "ACTIVE",
            likeCount: 1,
            description: product.description,
          })
          yield* products.update(product.id, { status: "INACTIVE", maxOrderQuantity: Quantity.make(9) })
          expect(Option.getOrThrow(yield* products.findById(product.id))).toMatchObject({
            name: "New",
            price: 250,
            status: "INACTIVE",
            maxOrderQuantity: 9,
            stock: 4,
            likeCount: 1,
          })
        }),
      ),
    )

    it.effect("update of an unknown product fails with ProductNotFound", () =>
      run(
        Effect.gen(function* () {
          const error = yield* Effect.flip((yield* ProductRepository).update(unknownId, { price: Money.make(1) }))
          expect(error._tag).toBe("ProductNotFound")
        }),
      ),
    )

    it.effect("like counts go up and down by one and never below zero", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct()
          const products = yield* ProductRepository
          expect(yield* products.incrementLikeCount(product.id)).toBe(1)
          expect(yield* products.incrementLikeCount(product.id)).toBe(2)
          expect(yield* products.decrementLikeCount(product.id)).toBe(1)
          expect(yield* products.decrementLikeCount(product.id)).toBe(0)
          expect(yield* products.decrementLikeCount(product.id)).toBe(0)
          expect(Option.getOrThrow(yield* products.findById(product.id)).likeCount).toBe(0)
        }),
      ),
    )

    it.effect("like count operations on an unknown product fail with ProductNotFound", () =>
      run(
        Effect.gen(function* () {
          const products = yield* ProductRepository
          expect((yield* Effect.flip(products.incrementLikeCount(unknownId)))._tag).toBe("ProductNotFound")
          expect((yield* Effect.flip(products.decrementLikeCount(unknownId)))._tag).toBe("ProductNotFound")
        }),
      ),
    )

    it.effect("racing like count changes lose no update", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct()
          const products = yield* ProductRepository
          yield* Effect.all(
            Array.from({ length: 300 }, () => products.incrementLikeCount(product.id)),
            { concurrency: "unbounded", discard: true },
          )
          yield* Effect.all(
            Array.from({ length: 100 }, () => products.decrementLikeCount(product.id)),
            { concurrency: "unbounded", discard: true },
          )
          expect(Option.getOrThrow(yield* products.findById(product.id)).likeCount).toBe(200)
        }),
      ),
    )
  })
}
