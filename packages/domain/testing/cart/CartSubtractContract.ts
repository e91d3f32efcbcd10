import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, type Layer } from "effect"
import * as fc from "fast-check"
import { CartRepository } from "../../src/cart/CartRepository.js"
import { ProductId, UserId } from "../../src/shared/Ids.js"
import { Quantity } from "../../src/shared/Quantity.js"

const user = UserId.make
const product = ProductId.make
const q = Quantity.make
const line = (productId: number, quantity: number) => ({ productId: product(productId), quantity: q(quantity) })

type Op =
  | { readonly kind: "add"; readonly user: number; readonly product: number; readonly quantity: number }
  | { readonly kind: "set"; readonly user: number; readonly product: number; readonly quantity: number }
  | { readonly kind: "remove"; readonly user: number; readonly product: number }
  | {
      readonly kind: "subtract"
      readonly user: number
      readonly lines: ReadonlyArray<{ readonly product: number; readonly quantity: number }>
    }

const MAX = 9
const userNo = fc.integer({ min: 1, max: 2 })
const productNo = fc.integer({ min: 1, max: 4 })
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("add" as const),
    user: userNo,
    product: productNo,
    quantity: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    kind: fc.constant("set" as const),
    user: userNo,
    product: productNo,
    quantity: fc.integer({ min: 1, max: MAX }),
  }),
  fc.record({ kind: fc.constant("remove" as const), user: userNo, product: productNo }),
  fc.record({
    kind: fc.constant("subtract" as const),
    user: userNo,
    lines: fc.array(fc.record({ product: productNo, quantity: fc.integer({ min: 1, max: 6 }) }), { maxLength: 3 }),
  }),
)

/**
 * The specification of a user's cart, written independently of the adapters: lines in the
 * order they were first added (a deleted line that comes back goes last), 1..MAX units each.
 */
const applyToModel = (carts: Map<number, Map<number, number>>, o: Op): number | "exceeded" | undefined => {
  const cart = carts.get(o.user) ?? new Map<number, number>()
  carts.set(o.user, cart)
  switch (o.kind) {
    case "add": {
      const merged = (cart.get(o.product) ?? 0) + o.quantity
      if (merged > MAX) return "exceeded"
      cart.set(o.product, merged)
      return merged
    }
    case "set":
      cart.set(o.product, o.quantity)
      return
    case "remove":
      cart.delete(o.product)
      return
    case "subtract":
      for (const taken of o.lines) {
        const now = cart.get(taken.product)
        if (now === undefined) continue
        if (now <= taken.quantity) cart.delete(taken.product)
        else cart.set(taken.product, now - taken.quantity)
      }
  }
}

const applyToStore = (carts: CartRepository["Type"], o: Op) => {
  switch (o.kind) {
    case "add":
      return carts
        .add(user(o.user), product(o.product), q(o.quantity), q(MAX))
        .pipe(Effect.catchTag("QuantityLimitExceeded", () => Effect.succeed("exceeded" as const)))
    case "set":
      return Effect.as(carts.set(user(o.user), product(o.product), q(o.quantity)), undefined)
    case "remove":
      return Effect.as(carts.remove(user(o.user), product(o.product)), undefined)
    case "subtract":
      return Effect.as(
        carts.subtract(
          user(o.user),
          o.lines.map((l) => line(l.product, l.quantity)),
        ),
        undefined,
      )
  }
}

/**
 * `CartRepository.subtract`: exact, atomic removal of ordered units. Part of the cart contract;
 * `numRuns` bounds the model property's cost against real engines.
 */
export const cartSubtractContract = (makeLayer: () => Layer.Layer<CartRepository, unknown>, numRuns = 40) => {
  const run = <A, E>(self: Effect.Effect<A, E, CartRepository>) => Effect.provide(self, makeLayer())

  describe("CartRepository.subtract", () => {
    it.effect("shrinks each listed line by its units; the lines keep their places", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          yield* carts.set(user(1), product(10), q(5))
          yield* carts.set(user(1), product(11), q(3))
          yield* carts.set(user(1), product(12), q(4))
          yield* carts.subtract(user(1), [line(12, 1), line(10, 2)])
          expect(yield* carts.lines(user(1))).toEqual([line(10, 3), line(11, 3), line(12, 3)])
        }),
      ),
    )

    it.effect("deletes a line that reaches 0 or would go below it; a line added again goes last", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          yield* carts.set(user(1), product(10), q(3))
          yield* carts.set(user(1), product(11), q(2))
          yield* carts.set(user(1), product(12), q(1))
          yield* carts.subtract(user(1), [line(10, 3), line(11, 5)])
          expect(yield* carts.lines(user(1))).toEqual([line(12, 1)])
          expect(yield* carts.remove(user(1), product(10))).toBe(false)
          expect(yield* carts.add(user(1), product(10), q(2), q(9))).toBe(2)
          expect(yield* carts.lines(user(1))).toEqual([line(12, 1), line(10, 2)])
        }),
      ),
    )

    it.effect("never creates a line and touches only the given user's given lines", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          yield* carts.set(user(1), product(10), q(4))
          yield* carts.set(user(2), product(11), q(4))
          yield* carts.subtract(user(1), [line(11, 1), line(99, 1)])
          yield* carts.subtract(user(2), [])
          expect(yield* carts.lines(user(1))).toEqual([line(10, 4)])
          expect(yield* carts.lines(user(2))).toEqual([line(11, 4)])
          yield* carts.subtract(user(3), [line(10, 1)])
          expect(yield* carts.lines(user(3))).toEqual([])
        }),
      ),
    )

    it.effect("a product listed twice is taken twice", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          yield* carts.set(user(1), product(10), q(7))
          yield* carts.set(user(1), product(11), q(3))
          yield* carts.subtract(user(1), [line(10, 2), line(11, 2), line(10, 3), line(11, 2)])
          expect(yield* carts.lines(user(1))).toEqual([line(10, 2)])
        }),
      ),
    )

    it.live("racing adds and subtracts of one line lose no unit", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          const start = 1_000
          yield* carts.set(user(7), product(70), q(start))
          // Sizes vary with the index; the subtracts (at most 600 units) never empty the line.
          const ops = Array.from({ length: 400 }, (_, i) =>
            i % 2 === 0
              ? { add: true, units: (i % 3) + 1 }
              : { add: false, units: (i % 4 === 1 ? 1 : 2) + (i % 5 === 0 ? 1 : 0) },
          )
          const exits = yield* Effect.all(
            ops.map((o) =>
              Effect.exit(
                o.add
                  ? carts.add(user(7), product(70), q(o.units), q(1_000_000))
                  : carts.subtract(user(7), [line(70, o.units)]),
              ),
            ),
            { concurrency: "unbounded" },
          )
          expect(exits.filter(Exit.isFailure)).toEqual([])
          const added = ops.filter((o) => o.add).reduce((sum, o) => sum + o.units, 0)
          const taken = ops.filter((o) => !o.add).reduce((sum, o) => sum + o.units, 0)
          expect(taken).toBeLessThan(start)
          expect(yield* carts.lines(user(7))).toEqual([line(70, start + added - taken)])
        }),
      ),
    )

    it.live("racing subtracts clamp at 0: the line is deleted once and nothing of it is left behind", () =>
      run(
        Effect.gen(function* () {
          const carts = yield* CartRepository
          yield* carts.set(user(8), product(80), q(150))
          yield* carts.set(user(8), product(81), q(5))
          const exits = yield* Effect.all(
            Array.from({ length: 300 }, (_, i) => Effect.exit(carts.subtract(user(8), [line(80, (i % 2) + 1)]))),
            { concurrency: "unbounded" },
          )
          expect(exits.filter(Exit.isFailure)).toEqual([])
          expect(yield* carts.lines(user(8))).toEqual([line(81, 5)])
          expect(yield* carts.remove(user(8), product(80))).toBe(false)
          expect(yield* carts.add(user(8), product(80), q(1), q(9))).toBe(1)
          expect(yield* carts.lines(user(8))).toEqual([line(81, 5), line(80, 1)])
        }),
      ),
    )

    it.live(
      "any sequence of add, set, remove and subtract leaves the lines the specification gives",
      () =>
        Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) =>
              Effect.runPromise(
                run(
                  Effect.gen(function* () {
                    const carts = yield* CartRepository
                    const model = new Map<number, Map<number, number>>()
                    for (const o of ops) {
                      const expected = applyToModel(model, o)
                      expect(yield* applyToStore(carts, o)).toEqual(expected)
                    }
                    for (const u of [1, 2]) {
                      const expected = [...(model.get(u) ?? new Map<number, number>())].map(([p, n]) => line(p, n))
                      expect(yield* carts.lines(user(u))).toEqual(expected)
                    }
                  }),
                ),
              ),
            ),
            { numRuns },
          ),
        ),
      120_000,
    )
  })
}
