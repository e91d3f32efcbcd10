import {
  type Brand,
  BrandRepository,
  PageRequest,
  type Product,
  type ProductListItem,
  ProductRepository,
  type ProductSort,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import * as fc from "fast-check"
import { aBrand, aProduct } from "./CatalogFixtures.js"

type Catalog = BrandRepository | ProductRepository

const sorts: ReadonlyArray<ProductSort> = ["latest", "price_asc", "likes_desc"]

/** The documented order, written out independently of the domain's comparator. */
const reference = (sort: ProductSort) => (a: Product, b: Product) => {
  const primary =
    sort === "latest"
      ? b.createdAt.getTime() - a.createdAt.getTime()
      : sort === "price_asc"
        ? a.price - b.price
        : b.likeCount - a.likeCount
  return primary !== 0 ? primary : b.id - a.id
}

const catalogSpec = fc.record({
  brands: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
  products: fc.array(
    fc.record({
      brand: fc.nat(2),
      price: fc.constantFrom(0, 500, 1000, 2500),
      createdAt: fc.nat(3),
      active: fc.boolean(),
      likes: fc.nat(3),
    }),
    { maxLength: 25 },
  ),
  size: fc.integer({ min: 1, max: 7 }),
  sort: fc.constantFrom(...sorts),
  filter: fc.option(fc.nat(2), { nil: undefined }),
})

/** ProductRepository.list: visibility, filter, order and paging. */
export const productListingContract = (makeLayer: () => Layer.Layer<Catalog, unknown>, options = { numRuns: 40 }) => {
  const run = <A, E>(self: Effect.Effect<A, E, Catalog>) => Effect.provide(self, makeLayer())

  const allPages = (sort: ProductSort, size: number, brandId: Product["brandId"] | undefined) =>
    Effect.gen(function* () {
      const products = yield* ProductRepository
      const items: Array<ProductListItem> = []
      for (let page = 0; ; page++) {
        const result = yield* products.list({ sort, brandId, page: new PageRequest({ page, size }) })
        expect(result.page).toBe(page)
        expect(result.size).toBe(size)
        expect(result.items.length).toBeLessThanOrEqual(size)
        items.push(...result.items)
        if (!result.hasNext) {
          expect(items).toHaveLength(result.totalElements)
          expect(result.totalPages).toBe(Math.ceil(result.totalElements / size))
          return items
        }
        expect(result.items).toHaveLength(size)
      }
    })

  describe("ProductRepository listing contract", () => {
    it.effect("shows only ACTIVE products of active brands, with the brand's name", () =>
      run(
        Effect.gen(function* () {
          const brands = yield* BrandRepository
          const products = yield* ProductRepository
          const shown = yield* brands.insert(aBrand({ name: "Shown" }))
          const hidden = yield* brands.insert(aBrand({ name: "Hidden", active: false }))
          const visible = yield* products.insert(aProduct(shown.id, { name: "Visible", stock: 0 }))
          yield* products.insert(aProduct(shown.id, { name: "Off", status: "INACTIVE" }))
          yield* products.insert(aProduct(hidden.id, { name: "OfHiddenBrand" }))
          const page = yield* products.list({ sort: "latest", page: new PageRequest({}) })
          expect(page.items).toEqual([
            {
              id: visible.id,
              name: "Visible",
              price: visible.price,
              brandId: shown.id,
              brandName: "Shown",
              likeCount: 0,
              stock: 0,
            },
          ])
          expect(page).toMatchObject({ page: 0, size: 20, totalElements: 1, totalPages: 1, hasNext: false })
          yield* brands.setActive(hidden.id, true)
          expect((yield* products.list({ sort: "latest", page: new PageRequest({}) })).totalElements).toBe(2)
        }),
      ),
    )

    it.effect("filters by brand and breaks ties by id, newest id first", () =>
      run(
        Effect.gen(function* () {
          const brands = yield* BrandRepository
          const products = yield* ProductRepository
          const a = yield* brands.insert(aBrand({ name: "A" }))
          const b = yield* brands.insert(aBrand({ name: "B" }))
          const p1 = yield* products.insert(aProduct(a.id, { price: 100 }))
          const p2 = yield* products.insert(aProduct(a.id, { price: 100 }))
          const p3 = yield* products.insert(aProduct(b.id, { price: 50 }))
          const ids = (sort: ProductSort, brandId?: typeof a.id) =>
            Effect.map(products.list({ sort, brandId, page: new PageRequest({}) }), (p) => p.items.map((i) => i.id))
          expect(yield* ids("price_asc")).toEqual([p3.id, p2.id, p1.id])
          expect(yield* ids("price_asc", a.id)).toEqual([p2.id, p1.id])
          expect(yield* ids("latest")).toEqual([p3.id, p2.id, p1.id])
          yield* products.incrementLikeCount(p1.id)
          expect(yield* ids("likes_desc")).toEqual([p1.id, p3.id, p2.id])
          expect(yield* ids("likes_desc", b.id)).toEqual([p3.id])
        }),
      ),
    )

    it.effect("a page past the end is empty and reports the totals", () =>
      run(
        Effect.gen(function* () {
          const brand = yield* (yield* BrandRepository).insert(aBrand())
          const products = yield* ProductRepository
          for (let i = 0; i < 3; i++) yield* products.insert(aProduct(brand.id))
          const page = yield* products.list({ sort: "latest", page: new PageRequest({ page: 5, size: 2 }) })
          expect(page).toMatchObject({ items: [], page: 5, size: 2, totalElements: 3, totalPages: 2, hasNext: false })
        }),
      ),
    )

    it.effect(
      "across all pages every visible product appears exactly once, in sort order (property)",
      () =>
        Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(catalogSpec, (spec) =>
              Effect.runPromise(
                run(
                  Effect.gen(function* () {
                    const brandRepo = yield* BrandRepository
                    const products = yield* ProductRepository
                    const brands: Array<Brand> = []
                    for (const [i, active] of spec.brands.entries()) {
                      brands.push(yield* brandRepo.insert(aBrand({ name: `B${i}`, active })))
                    }
                    const stored: Array<Product> = []
                    for (const p of spec.products) {
                      const brand = brands[p.brand % brands.length]!
                      const product = yield* products.insert(
                        aProduct(brand.id, {
                          price: p.price,
                          createdAt: new Date(p.createdAt * 1000),
                          status: p.active ? "ACTIVE" : "INACTIVE",
                        }),
                      )
                      for (let n = 0; n < p.likes; n++) yield* products.incrementLikeCount(product.id)
                      stored.push(product)
                    }
                    const filterBrand = spec.filter === undefined ? undefined : brands[spec.filter % brands.length]!
                    const latest = yield* products.findByIds(stored.map((p) => p.id))
                    const expected = latest
                      .filter((p) => p.status === "ACTIVE" && brands.find((b) => b.id === p.brandId)!.active)
                      .filter((p) => filterBrand === undefined || p.brandId === filterBrand.id)
                      .sort(reference(spec.sort))
                    const listed = yield* allPages(spec.sort, spec.size, filterBrand?.id)
                    expect(listed.map((i) => i.id)).toEqual(expected.map((p) => p.id))
                    expect(new Set(listed.map((i) => i.id)).size).toBe(listed.length)
                    for (const [i, item] of listed.entries()) {
                      const p = expected[i]!
                      expect(item).toEqual({
                        id: p.id,
                        name: p.name,
                        price: p.price,
                        brandId: p.brandId,
                        brandName: brands.find((b) => b.id === p.brandId)!.name,
                        likeCount: p.likeCount,
                        stock: p.stock,
                      })
                    }
                  }),
                ),
              ),
            ),
            { numRuns: options.numRuns },
          ),
        ),
      120_000,
    )
  })
}
