import {
  CartRepository,
  CartService,
  CatalogService,
  type CreateProductInput,
  ProductId,
  Transactor,
  UserId,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as fc from "fast-check"
import { makeServices } from "../catalog/ServiceTestLayer.js"

const alice = UserId.make(1)
const bob = UserId.make(2)

const seed = (products: ReadonlyArray<Partial<CreateProductInput>>) =>
  Effect.gen(function* () {
    const catalog = yield* CatalogService
    const brand = yield* catalog.createBrand({ name: "Acme", description: "" })
    const ids: Array<ProductId> = []
    for (const [i, p] of products.entries()) {
      const input = {
        brandId: brand.id,
        name: `P${i + 1}`,
        description: "",
        price: 1000,
        stock: 9,
        maxOrderQuantity: 5,
      }
      ids.push((yield* catalog.createProduct({ ...input, ...p })).product.id)
    }
    return ids
  })

describe("CartService", () => {
  it.effect("an empty cart has no items and a total of 0", () =>
    Effect.gen(function* () {
      expect(yield* (yield* CartService).view(alice)).toEqual({ items: [], totalAmount: 0 })
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("add merges quantities and the cart is priced with current names and prices", () =>
    Effect.gen(function* () {
      const [p1, p2] = yield* seed([{ price: 1500 }, { price: 300 }])
      const cart = yield* CartService
      yield* cart.add(alice, p1!, 2)
      yield* cart.add(alice, p2!, 1)
      const merged = yield* cart.add(alice, p1!, 3)
      expect(merged).toEqual({
        items: [
          { productId: p1, name: "P1", price: 1500, quantity: 5 },
          { productId: p2, name: "P2", price: 300, quantity: 1 },
        ],
        totalAmount: 7800,
      })
      yield* (yield* CatalogService).updateProduct(p2!, { name: "Renamed", price: 100 })
      const repriced = yield* cart.view(alice)
      expect(repriced.items[1]).toEqual({ productId: p2, name: "Renamed", price: 100, quantity: 1 })
      expect(repriced.totalAmount).toBe(7600)
      expect((yield* cart.view(bob)).items).toEqual([])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("a merge beyond maxOrderQuantity fails with QuantityLimitExceeded and changes nothing", () =>
    Effect.gen(function* () {
      const [p1] = yield* seed([{ maxOrderQuantity: 3 }])
      const cart = yield* CartService
      yield* cart.add(alice, p1!, 2)
      const error = yield* Effect.flip(cart.add(alice, p1!, 2))
      expect(error).toMatchObject({
        _tag: "QuantityLimitExceeded",
        code: "QUANTITY_LIMIT_EXCEEDED",
        requested: 4,
        max: 3,
      })
      expect((yield* cart.view(alice)).items[0]?.quantity).toBe(2)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("add rejects a quantity that is not an integer >= 1, an unknown product and an INACTIVE one", () =>
    Effect.gen(function* () {
      const [p1, off] = yield* seed([{}, { status: "INACTIVE" }])
      const cart = yield* CartService
      for (const quantity of [0, -1, 1.5, Number.NaN]) {
        expect(yield* Effect.flip(cart.add(alice, p1!, quantity))).toMatchObject({
          _tag: "InvalidInput",
          field: "quantity",
        })
      }
      expect(yield* Effect.flip(cart.add(alice, ProductId.make(999), 1))).toMatchObject({ code: "PRODUCT_NOT_FOUND" })
      expect(yield* Effect.flip(cart.add(alice, off!, 1))).toMatchObject({ code: "PRODUCT_UNAVAILABLE" })
      expect((yield* cart.view(alice)).items).toEqual([])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("setQuantity sets or creates a line, 0 removes it, and the limit still applies", () =>
    Effect.gen(function* () {
      const [p1, p2] = yield* seed([{}, {}])
      const cart = yield* CartService
      yield* cart.add(alice, p1!, 1)
      expect((yield* cart.setQuantity(alice, p2!, 4)).items.map((i) => [i.productId, i.quantity])).toEqual([
        [p1, 1],
        [p2, 4],
      ])
      expect((yield* cart.setQuantity(alice, p1!, 5)).items[0]?.quantity).toBe(5)
      expect((yield* Effect.flip(cart.setQuantity(alice, p1!, 6)))._tag).toBe("QuantityLimitExceeded")
      expect(yield* Effect.flip(cart.setQuantity(alice, p1!, -1))).toMatchObject({ field: "quantity" })
      expect((yield* cart.setQuantity(alice, p1!, 0)).items.map((i) => i.productId)).toEqual([p2])
      expect((yield* cart.setQuantity(alice, p1!, 0)).items.map((i) => i.productId)).toEqual([p2])
      expect((yield* Effect.flip(cart.setQuantity(alice, ProductId.make(999), 0)))._tag).toBe("ProductNotFound")
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("remove drops the line; removing an absent line changes nothing; an unknown product is not found", () =>
    Effect.gen(function* () {
      const [p1, p2] = yield* seed([{}, {}])
      const cart = yield* CartService
      yield* cart.add(alice, p1!, 1)
      yield* cart.add(alice, p2!, 2)
      expect((yield* cart.remove(alice, p1!)).items.map((i) => i.productId)).toEqual([p2])
      expect((yield* cart.remove(alice, p1!)).items.map((i) => i.productId)).toEqual([p2])
      expect((yield* Effect.flip(cart.remove(alice, ProductId.make(999))))._tag).toBe("ProductNotFound")
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("a line stays visible after its product goes INACTIVE", () =>
    Effect.gen(function* () {
      const [p1] = yield* seed([{}])
      const cart = yield* CartService
      yield* cart.add(alice, p1!, 2)
      yield* (yield* CatalogService).updateProduct(p1!, { status: "INACTIVE" })
      expect((yield* cart.view(alice)).items).toHaveLength(1)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("removeLines removes exactly the ordered lines, and is undone with its enclosing transaction", () =>
    Effect.gen(function* () {
      const [p1, p2, p3] = yield* seed([{}, {}, {}])
      const cart = yield* CartService
      for (const id of [p1!, p2!, p3!]) yield* cart.add(alice, id, 1)
      yield* cart.add(bob, p1!, 1)
      const tx = yield* Transactor
      const failed = yield* Effect.exit(
        tx.withTransaction(Effect.zipRight(cart.removeLines(alice, [p1!, p3!]), Effect.fail("order failed" as const))),
      )
      expect(Exit.isFailure(failed)).toBe(true)
      expect((yield* cart.view(alice)).items).toHaveLength(3)
      yield* tx.withTransaction(cart.removeLines(alice, [p1!, p3!]))
      expect((yield* cart.view(alice)).items.map((i) => i.productId)).toEqual([p2])
      expect((yield* cart.view(bob)).items.map((i) => i.productId)).toEqual([p1])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("a cart whose total would leave the safe range fails with AmountOutOfRange", () =>
    Effect.gen(function* () {
      const [big] = yield* seed([{ price: Number.MAX_SAFE_INTEGER }])
      const cart = yield* CartService
      yield* cart.add(alice, big!, 1)
      expect(yield* Effect.flip(cart.add(alice, big!, 1))).toMatchObject({ _tag: "AmountOutOfRange" })
      expect((yield* (yield* CartRepository).lines(alice))[0]?.quantity).toBe(1)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("racing adds never merge a line beyond maxOrderQuantity", () =>
    Effect.gen(function* () {
      const [p1] = yield* seed([{ maxOrderQuantity: 40 }])
      const cart = yield* CartService
      const exits = yield* Effect.all(
        Array.from({ length: 200 }, () => Effect.exit(cart.add(alice, p1!, 1))),
        { concurrency: "unbounded" },
      )
      expect(exits.filter(Exit.isSuccess)).toHaveLength(40)
      expect((yield* cart.view(alice)).items[0]?.quantity).toBe(40)
    }).pipe(Effect.provide(makeServices())),
  )

  const quantity = fc.integer({ min: 1, max: 8 })

  it(
    "adding a then b equals adding a + b (property)",
    () =>
      fc.assert(
        fc.asyncProperty(quantity, quantity, fc.integer({ min: 1, max: 12 }), (a, b, max) =>
          Effect.runPromise(
            Effect.gen(function* () {
              const [p1] = yield* seed([{ maxOrderQuantity: max }])
              const cart = yield* CartService
              const stepwise = yield* Effect.exit(Effect.zipRight(cart.add(alice, p1!, a), cart.add(alice, p1!, b)))
              const once = yield* Effect.exit(cart.add(bob, p1!, a + b))
              expect(Exit.isSuccess(once)).toBe(a + b <= max)
              if (Exit.isSuccess(once)) {
                expect(Exit.isSuccess(stepwise)).toBe(true)
                expect((yield* cart.view(alice)).items).toEqual((yield* cart.view(bob)).items)
              } else {
                expect(Exit.isFailure(stepwise)).toBe(true)
              }
            }).pipe(Effect.provide(makeServices())),
          ),
        ),
        { numRuns: 40 },
      ),
    60_000,
  )

  it(
    "setQuantity 0 equals remove, whatever the cart holds (property)",
    () =>
      fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.nat(3), quantity), { maxLength: 6 }), fc.nat(3), (lines, target) =>
          Effect.runPromise(
            Effect.gen(function* () {
              const ids = yield* seed([{}, {}, {}, {}].map(() => ({ maxOrderQuantity: 50 })))
              const cart = yield* CartService
              for (const user of [alice, bob]) for (const [i, n] of lines) yield* cart.add(user, ids[i]!, n)
              const viaSet = yield* cart.setQuantity(alice, ids[target]!, 0)
              const viaRemove = yield* cart.remove(bob, ids[target]!)
              expect(viaSet).toEqual(viaRemove)
              expect(viaSet.items.map((i) => i.productId)).not.toContain(ids[target])
            }).pipe(Effect.provide(makeServices())),
          ),
        ),
        { numRuns: 40 },
      ),
    60_000,
  )
})
