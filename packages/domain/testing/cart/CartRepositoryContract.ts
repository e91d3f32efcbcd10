import { CartRepository, ProductId, Quantity, UserId } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, type Layer } from "effect"
import { cartSubtractContract } from "./CartSubtractContract.js"

const user = UserId.make
const product = ProductId.make
const q = Quantity.make

/** Behaviour every CartRepository must show; `makeLayer` gives a fresh, empty store per test. */
export const cartRepositoryContract = (makeLayer: () => Layer.Layer<CartRepository, unknown>, numRuns?: number) => {
  const run = <A, E>(self: Effect.Effect<A, E, CartRepository>) => Effect.provide(self, makeLayer())

  describe("CartRepository contract", () => {
    it.effect("add creates a line and merges later adds into it", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          expect(yield* carts.lines(user(1))).toEqual([])
          expect(yield* carts.add(user(1), product(10), q(2), q(5))).toBe(2)
          expect(yield* carts.add(user(1), product(10), q(3), q(5))).toBe(5)
          expect(yield* carts.lines(user(1))).toEqual([{ productId: product(10), quantity: 5 }])
        }),
      ),
    )

    it.effect("add beyond the limit fails with QuantityLimitExceeded and changes nothing", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          yield* carts.add(user(1), product(10), q(4), q(5))
          const error = yield* Effect.flip(carts.add(user(1), product(10), q(2), q(5)))
          expect(error).toMatchObject({ _tag: "QuantityLimitExceeded", productId: product(10), requested: 6, max: 5 })
          expect(error.code).toBe("QUANTITY_LIMIT_EXCEEDED")
          const fresh = yield* Effect.flip(carts.add(user(1), product(11), q(6), q(5)))
          expect(fresh._tag).toBe("QuantityLimitExceeded")
          expect(yield* carts.lines(user(1))).toEqual([{ productId: product(10), quantity: 4 }])
        }),
      ),
    )

    it.effect("lines keep the order in which they were first added; set keeps a line's place", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          yield* carts.add(user(1), product(30), q(1), q(9))
          yield* carts.set(user(1), product(10), q(2))
          yield* carts.add(user(1), product(20), q(1), q(9))
          yield* carts.set(user(1), product(30), q(7))
          yield* carts.add(user(2), product(40), q(1), q(9))
          expect(yield* carts.lines(user(1))).toEqual([
            { productId: product(30), quantity: 7 },
            { productId: product(10), quantity: 2 },
            { productId: product(20), quantity: 1 },
          ])
          expect(yield* carts.lines(user(2))).toEqual([{ productId: product(40), quantity: 1 }])
        }),
      ),
    )

    it.effect("remove reports whether a line existed and touches only that line", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          yield* carts.set(user(1), product(10), q(1))
          yield* carts.set(user(1), product(11), q(1))
          yield* carts.set(user(2), product(10), q(1))
          expect(yield* carts.remove(user(1), product(10))).toBe(true)
          expect(yield* carts.remove(user(1), product(10))).toBe(false)
          expect(yield* carts.lines(user(1))).toEqual([{ productId: product(11), quantity: 1 }])
          expect(yield* carts.lines(user(2))).toEqual([{ productId: product(10), quantity: 1 }])
        }),
      ),
    )

    it.effect("removeLines removes exactly the given lines of that user", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          for (const id of [10, 11, 12, 13]) yield* carts.set(user(1), product(id), q(id - 9))
          yield* carts.set(user(2), product(11), q(1))
          expect(yield* carts.removeLines(user(1), [product(13), product(11), product(99), product(11)])).toBe(2)
          expect(yield* carts.lines(user(1))).toEqual([
            { productId: product(10), quantity: 1 },
            { productId: product(12), quantity: 3 },
          ])
          expect(yield* carts.lines(user(2))).toEqual([{ productId: product(11), quantity: 1 }])
          expect(yield* carts.removeLines(user(1), [])).toBe(0)
        }),
      ),
    )

    it.effect("racing adds never merge a line beyond its limit", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          const exits = yield* Effect.all(
            Array.from({ length: 300 }, () => Effect.exit(carts.add(user(5), product(50), q(1), q(120)))),
            { concurrency: "unbounded" },
          )
          expect(exits.filter(Exit.isSuccess)).toHaveLength(120)
          expect(yield* carts.lines(user(5))).toEqual([{ productId: product(50), quantity: 120 }])
        }),
      ),
    )

    cartSubtractContract(makeLayer, numRuns)
  })
}
