import { type BrandRepository, ProductId, ProductRepository, Quantity } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, type Layer, Option } from "effect"
import { seedProduct } from "./CatalogFixtures.js"

type Catalog = BrandRepository | ProductRepository

const q = Quantity.make

/** The atomic stock operations of ProductRepository, including racing callers. */
export const productStockContract = (makeLayer: () => Layer.Layer<Catalog, unknown>) => {
  const run = <A, E>(self: Effect.Effect<A, E, Catalog>) => Effect.provide(self, makeLayer())
  const stockOf = (id: ProductId) =>
    Effect.flatMap(ProductRepository, (products) =>
      Effect.map(products.findById(id), (p) => Option.getOrThrow(p).stock as number),
    )
  const unknownId = ProductId.make(876_543)

  describe("ProductRepository stock contract", () => {
    it.effect("decrementStock takes the units and returns the stock after", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct({ stock: 10 })
          const products = yield* ProductRepository
          expect(yield* products.decrementStock(product.id, q(3))).toBe(7)
          expect(yield* products.decrementStock(product.id, q(7))).toBe(0)
          expect(yield* stockOf(product.id)).toBe(0)
        }),
      ),
    )

    it.effect("decrementStock beyond the stock fails with InsufficientStock and changes nothing", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct({ stock: 2 })
          const products = yield* ProductRepository
          const error = yield* Effect.flip(products.decrementStock(product.id, q(3)))
          expect(error).toMatchObject({ _tag: "InsufficientStock", productId: product.id, requested: 3, available: 2 })
          expect(error.code).toBe("OUT_OF_STOCK")
          expect(yield* stockOf(product.id)).toBe(2)
        }),
      ),
    )

    it.effect("restoreStock puts units back and returns the stock after", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct({ stock: 5 })
          const products = yield* ProductRepository
          yield* products.decrementStock(product.id, q(5))
          expect(yield* products.restoreStock(product.id, q(2))).toBe(2)
          expect(yield* stockOf(product.id)).toBe(2)
        }),
      ),
    )

    it.effect("adjustStock adds a restock and subtracts a correction", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct({ stock: 5 })
          const products = yield* ProductRepository
          expect(yield* products.adjustStock(product.id, 20)).toBe(25)
          expect(yield* products.adjustStock(product.id, -25)).toBe(0)
          expect(yield* stockOf(product.id)).toBe(0)
        }),
      ),
    )

    it.effect("adjustStock below zero fails with InsufficientStock and changes nothing", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct({ stock: 5 })
          const products = yield* ProductRepository
          const error = yield* Effect.flip(products.adjustStock(product.id, -6))
          expect(error).toMatchObject({ _tag: "InsufficientStock", requested: 6, available: 5 })
          expect(yield* stockOf(product.id)).toBe(5)
        }),
      ),
    )

    it.effect("stock beyond the safe integer range fails with InvalidInput and changes nothing", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct({ stock: Number.MAX_SAFE_INTEGER - 1 })
          const products = yield* ProductRepository
          expect((yield* Effect.flip(products.adjustStock(product.id, 2)))._tag).toBe("InvalidInput")
          expect((yield* Effect.flip(products.restoreStock(product.id, q(2))))._tag).toBe("InvalidInput")
          expect(yield* stockOf(product.id)).toBe(Number.MAX_SAFE_INTEGER - 1)
        }),
      ),
    )

    it.effect("every stock operation on an unknown product fails with ProductNotFound", () =>
      run(
        Effect.gen(function* () {
          const products = yield* ProductRepository
          expect((yield* Effect.flip(products.decrementStock(unknownId, q(1))))._tag).toBe("ProductNotFound")
          expect((yield* Effect.flip(products.restoreStock(unknownId, q(1))))._tag).toBe("ProductNotFound")
          expect((yield* Effect.flip(products.adjustStock(unknownId, 1)))._tag).toBe("ProductNotFound")
        }),
      ),
    )

    it.effect("hundreds of racing single-unit decrements sell exactly the stock and never go negative", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct({ stock: 100 })
          const products = yield* ProductRepository
          const exits = yield* Effect.all(
            Array.from({ length: 400 }, () => Effect.exit(products.decrementStock(product.id, q(1)))),
            { concurrency: "unbounded" },
          )
          const sold = exits.filter(Exit.isSuccess)
          expect(sold).toHaveLength(100)
          const after = sold.map((e) => e.value as number).sort((a, b) => a - b)
          expect(after).toEqual(Array.from({ length: 100 }, (_, i) => i))
          for (const exit of exits.filter(Exit.isFailure)) {
            expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag).toBe(
              "InsufficientStock",
            )
          }
          expect(yield* stockOf(product.id)).toBe(0)
        }),
      ),
    )

    it.effect("racing decrements, restores and adjustments conserve stock + sold exactly", () =>
      run(
        Effect.gen(function* () {
          const product = yield* seedProduct({ stock: 50 })
          const products = yield* ProductRepository
          const quantities = Array.from({ length: 300 }, (_, i) => (i % 4) + 1)
          const decrements = quantities.map((n) =>
            Effect.map(Effect.exit(products.decrementStock(product.id, q(n))), (e) => (Exit.isSuccess(e) ? -n : 0)),
          )
          const restores = Array.from({ length: 50 }, (_, i) =>
            Effect.as(products.restoreStock(product.id, q((i % 3) + 1)), (i % 3) + 1),
          )
          const adjustments = Array.from({ length: 50 }, (_, i) => {
            const delta = i % 2 === 0 ? 5 : -3
            return Effect.map(Effect.exit(products.adjustStock(product.id, delta)), (e) =>
              Exit.isSuccess(e) ? delta : 0,
            )
          })
          const changes = yield* Effect.all([...decrements, ...restores, ...adjustments], { concurrency: "unbounded" })
          const net = changes.reduce((a, b) => a + b, 0)
          const stock = yield* stockOf(product.id)
          expect(stock).toBe(50 + net)
          expect(stock).toBeGreaterThanOrEqual(0)
        }),
      ),
    )
  })
}
