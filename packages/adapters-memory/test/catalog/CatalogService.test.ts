import {
  BrandId,
  BrandRepository,
  CatalogService,
  type CreateProductInput,
  PageRequest,
  ProductId,
  ProductRepository,
  ProductViewTally,
} from "@commerce-core/domain"
import { aBrand } from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option, TestClock } from "effect"
import { eventTags, makeServices, makeServicesWithFailingOutbox, outboxEvents } from "./ServiceTestLayer.js"

const productInput = (brandId: BrandId, overrides: Partial<CreateProductInput> = {}): CreateProductInput => ({
  brandId,
  name: "Runner",
  description: "A shoe",
  price: 59_000,
  stock: 5,
  maxOrderQuantity: 3,
  ...overrides,
})

const withBrand = Effect.flatMap(CatalogService, (c) => c.createBrand({ name: "Acme", description: "Tools" }))

describe("CatalogService", () => {
  it.effect("createBrand trims the name, stamps the clock and records BrandCreated", () =>
    Effect.gen(function* () {
      yield* TestClock.adjust(Duration.seconds(42))
      const catalog = yield* CatalogService
      const brand = yield* catalog.createBrand({ name: "  Acme ", description: "" })
      expect(brand).toMatchObject({ name: "Acme", description: "", active: true, createdAt: new Date(42_000) })
      expect(yield* catalog.getBrand(brand.id)).toEqual(brand)
      const [event] = yield* outboxEvents
      expect(event).toMatchObject({ _tag: "BrandCreated", brandId: brand.id, aggregateKey: `brand:${brand.id}` })
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("createBrand with a bad field fails naming it and stores nothing", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const error = yield* Effect.flip(catalog.createBrand({ name: "   ", description: "" }))
      expect(error).toMatchObject({ _tag: "InvalidInput", field: "name", code: "BAD_REQUEST" })
      const long = yield* Effect.flip(catalog.createBrand({ name: "ok", description: "d".repeat(2001) }))
      expect(long).toMatchObject({ _tag: "InvalidInput", field: "description" })
      expect(yield* eventTags).toEqual([])
      expect(Option.isNone(yield* (yield* BrandRepository).findById(BrandId.make(1)))).toBe(true)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("setBrandActive records BrandActivationChanged when the flag changes, and nothing when it does not", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const brand = yield* withBrand
      expect((yield* catalog.setBrandActive(brand.id, true)).active).toBe(true)
      expect((yield* catalog.setBrandActive(brand.id, false)).active).toBe(false)
      expect((yield* catalog.setBrandActive(brand.id, false)).active).toBe(false)
      expect((yield* catalog.setBrandActive(brand.id, true)).active).toBe(true)
      const events = yield* outboxEvents
      expect(events.map((e) => e._tag)).toEqual(["BrandCreated", "BrandActivationChanged", "BrandActivationChanged"])
      expect(events.slice(1)).toMatchObject([
        { brandId: brand.id, active: false, aggregateKey: `brand:${brand.id}` },
        { brandId: brand.id, active: true, aggregateKey: `brand:${brand.id}` },
      ])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("getBrand and setBrandActive of an unknown brand fail with BrandNotFound", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      expect(yield* Effect.flip(catalog.getBrand(BrandId.make(77)))).toMatchObject({ code: "BRAND_NOT_FOUND" })
      expect((yield* Effect.flip(catalog.setBrandActive(BrandId.make(77), false)))._tag).toBe("BrandNotFound")
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("createProduct returns the detail and records ProductCreated", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const brand = yield* withBrand
      const detail = yield* catalog.createProduct(productInput(brand.id))
      expect(detail).toMatchObject({ brandName: "Acme", brandActive: true, status: "ACTIVE" })
      expect(detail.product).toMatchObject({
        name: "Runner",
        price: 59_000,
        stock: 5,
        maxOrderQuantity: 3,
        likeCount: 0,
      })
      const soldOut = yield* catalog.createProduct(productInput(brand.id, { stock: 0 }))
      expect(soldOut.status).toBe("OUT_OF_STOCK")
      const hidden = yield* catalog.createProduct(productInput(brand.id, { status: "INACTIVE" }))
      expect(hidden.status).toBe("INACTIVE")
      const events = yield* outboxEvents
      expect(events.map((e) => e._tag)).toEqual(["BrandCreated", "ProductCreated", "ProductCreated", "ProductCreated"])
      expect(events[1]).toMatchObject({ productId: detail.product.id, brandId: brand.id })
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("createProduct fails for an unknown brand or a bad field and stores nothing", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const missing = yield* Effect.flip(catalog.createProduct(productInput(BrandId.make(9))))
      expect(missing._tag).toBe("BrandNotFound")
      const brand = yield* withBrand
      for (const [field, patch] of [
        ["price", { price: -1 }],
        ["stock", { stock: 1.5 }],
        ["maxOrderQuantity", { maxOrderQuantity: 0 }],
        ["name", { name: "" }],
      ] as const) {
        expect(yield* Effect.flip(catalog.createProduct(productInput(brand.id, patch)))).toMatchObject({
          _tag: "InvalidInput",
          field,
        })
      }
      expect(yield* eventTags).toEqual(["BrandCreated"])
      expect(yield* (yield* ProductRepository).findByIds([1, 2, 3].map((n) => ProductId.make(n)))).toEqual([])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("updateProduct applies a partial patch and records ProductUpdated; an empty one records nothing", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const brand = yield* withBrand
      const { product } = yield* catalog.createProduct(productInput(brand.id))
      const updated = yield* catalog.updateProduct(product.id, { price: 49_000, status: "INACTIVE" })
      expect(updated.product).toMatchObject({ name: "Runner", price: 49_000, status: "INACTIVE", stock: 5 })
      expect(updated.status).toBe("INACTIVE")
      const same = yield* catalog.updateProduct(product.id, {})
      expect(same.product).toEqual(updated.product)
      expect(yield* eventTags).toEqual(["BrandCreated", "ProductCreated", "ProductUpdated"])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("updateProduct of an unknown product or with a bad field fails and changes nothing", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const brand = yield* withBrand
      const { product } = yield* catalog.createProduct(productInput(brand.id))
      expect((yield* Effect.flip(catalog.updateProduct(ProductId.make(999), { price: 1 })))._tag).toBe(
        "ProductNotFound",
      )
      const bad = yield* Effect.flip(catalog.updateProduct(product.id, { name: "New", maxOrderQuantity: -2 }))
      expect(bad).toMatchObject({ _tag: "InvalidInput", field: "maxOrderQuantity" })
      const stored = Option.getOrThrow(yield* (yield* ProductRepository).findById(product.id))
      expect(stored.name).toBe("Runner")
      expect(yield* eventTags).toEqual(["BrandCreated", "ProductCreated"])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("adjustStock changes the stock and records StockAdjusted with the stock after", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const brand = yield* withBrand
      const { product } = yield* catalog.createProduct(productInput(brand.id, { stock: 5 }))
      expect((yield* catalog.adjustStock(product.id, 10)).product.stock).toBe(15)
      const emptied = yield* catalog.adjustStock(product.id, -15)
      expect(emptied).toMatchObject({ status: "OUT_OF_STOCK", product: { stock: 0 } })
      const events = (yield* outboxEvents).filter((e) => e._tag === "StockAdjusted")
      expect(events).toMatchObject([
        { productId: product.id, delta: 10, stockAfter: 15 },
        { productId: product.id, delta: -15, stockAfter: 0 },
      ])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("adjustStock refuses a zero delta, a negative result and an unknown product, changing nothing", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const brand = yield* withBrand
      const { product } = yield* catalog.createProduct(productInput(brand.id, { stock: 5 }))
      expect(yield* Effect.flip(catalog.adjustStock(product.id, 0))).toMatchObject({ field: "delta" })
      expect(yield* Effect.flip(catalog.adjustStock(product.id, 0.5))).toMatchObject({ field: "delta" })
      expect(yield* Effect.flip(catalog.adjustStock(product.id, -6))).toMatchObject({
        _tag: "InsufficientStock",
        code: "OUT_OF_STOCK",
        available: 5,
      })
      expect((yield* Effect.flip(catalog.adjustStock(ProductId.make(404), 1)))._tag).toBe("ProductNotFound")
      expect(Option.getOrThrow(yield* (yield* ProductRepository).findById(product.id)).stock).toBe(5)
      expect(yield* eventTags).not.toContain("StockAdjusted")
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("getProductDetail serves any product, INACTIVE included, and counts its views for the next flush", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const tally = yield* ProductViewTally
      const brand = yield* withBrand
      const { product } = yield* catalog.createProduct(productInput(brand.id, { status: "INACTIVE" }))
      const other = yield* catalog.createProduct(productInput(brand.id, { name: "Other" }))
      const detail = yield* catalog.getProductDetail(product.id)
      expect(detail).toMatchObject({ brandName: "Acme", status: "INACTIVE", product: { id: product.id } })
      yield* catalog.getProductDetail(product.id)
      yield* catalog.getProductDetail(other.product.id)
      yield* catalog.getProductDetail(product.id)
      expect(yield* eventTags).not.toContain("ProductViewed")
      expect(yield* tally.flush).toBe(2)
      const views = (yield* outboxEvents).filter((e) => e._tag === "ProductViewed")
      expect(views).toMatchObject([
        { productId: product.id, views: 3, aggregateKey: `product:${product.id}` },
        { productId: other.product.id, views: 1 },
      ])
      expect(yield* tally.flush).toBe(0)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("getProductDetail of an unknown product fails with ProductNotFound and counts no view", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const error = yield* Effect.flip(catalog.getProductDetail(ProductId.make(5)))
      expect(error).toMatchObject({ _tag: "ProductNotFound", code: "PRODUCT_NOT_FOUND" })
      expect(yield* (yield* ProductViewTally).flush).toBe(0)
      expect(yield* eventTags).toEqual([])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("listProducts hides inactive products and the products of a deactivated brand", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const brand = yield* withBrand
      const other = yield* catalog.createBrand({ name: "Other", description: "" })
      const a = yield* catalog.createProduct(productInput(brand.id, { name: "A" }))
      yield* catalog.createProduct(productInput(brand.id, { name: "B", status: "INACTIVE" }))
      const c = yield* catalog.createProduct(productInput(other.id, { name: "C" }))
      const names = Effect.map(catalog.listProducts({ sort: "latest", page: new PageRequest({}) }), (p) =>
        p.items.map((i) => i.name),
      )
      expect(yield* names).toEqual(["C", "A"])
      yield* catalog.setBrandActive(other.id, false)
      expect(yield* names).toEqual(["A"])
      yield* catalog.updateProduct(a.product.id, { status: "INACTIVE" })
      expect(yield* names).toEqual([])
      expect((yield* catalog.getProductDetail(c.product.id)).brandActive).toBe(false)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("a change whose event cannot be written is rolled back", () =>
    Effect.gen(function* () {
      const catalog = yield* CatalogService
      const brands = yield* BrandRepository
      expect((yield* Effect.flip(catalog.createBrand({ name: "Acme", description: "" })))._tag).toBe(
        "PersistenceUnavailable",
      )
      expect(Option.isNone(yield* brands.findById(BrandId.make(1)))).toBe(true)
      const brand = yield* brands.insert(aBrand())
      expect((yield* Effect.flip(catalog.createProduct(productInput(brand.id))))._tag).toBe("PersistenceUnavailable")
      const products = yield* ProductRepository
      expect(yield* products.findByIds([ProductId.make(1)])).toEqual([])
    }).pipe(Effect.provide(makeServicesWithFailingOutbox())),
  )
})
