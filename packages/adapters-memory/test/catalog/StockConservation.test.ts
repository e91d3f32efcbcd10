import { ProductRepository, Quantity } from "@commerce-core/domain"
import { seedProduct } from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Option } from "effect"
import * as fc from "fast-check"
import { CatalogMemory, MemoryDatabaseLive } from "../../src/index.js"

const makeLayer = () => CatalogMemory.pipe(Layer.provide(MemoryDatabaseLive))

const op = fc.oneof(
  fc.record({ kind: fc.constant("decrement" as const), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant("restore" as const), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant("adjust" as const), n: fc.integer({ min: -6, max: 6 }).filter((n) => n !== 0) }),
)

const runWithStore = <A, E>(self: Effect.Effect<A, E, ProductRepository | Layer.Layer.Success<typeof CatalogMemory>>) =>
  Effect.runPromise(Effect.provide(self, makeLayer()))

describe("stock conservation (memory)", () => {
  it(
    "stock + sold = initial + adjustments after any sequence, and each call succeeds exactly when the model says",
    () =>
      fc.assert(
        fc.asyncProperty(fc.nat(20), fc.array(op, { maxLength: 60 }), (initial, ops) =>
          runWithStore(
            Effect.gen(function* () {
              const product = yield* seedProduct({ stock: initial })
              const products = yield* ProductRepository
              let stock = initial
              let sold = 0
              let adjusted = 0
              for (const { kind, n } of ops) {
                if (kind === "decrement") {
                  const exit = yield* Effect.exit(products.decrementStock(product.id, Quantity.make(n)))
                  expect(Exit.isSuccess(exit)).toBe(n <= stock)
                  if (Exit.isSuccess(exit)) {
                    stock -= n
                    sold += n
                    expect(exit.value).toBe(stock)
                  }
                } else if (kind === "restore") {
                  // Only units that were sold come back, as an order's compensation does.
                  const back = Math.min(n, sold)
                  if (back === 0) continue
                  expect(yield* products.restoreStock(product.id, Quantity.make(back))).toBe(stock + back)
                  stock += back
                  sold -= back
                } else {
                  const exit = yield* Effect.exit(products.adjustStock(product.id, n))
                  expect(Exit.isSuccess(exit)).toBe(stock + n >= 0)
                  if (Exit.isSuccess(exit)) {
                    stock += n
                    adjusted += n
                  }
                }
                expect(stock + sold).toBe(initial + adjusted)
              }
              const stored = Option.getOrThrow(yield* products.findById(product.id)).stock
              expect(stored).toBe(stock)
              expect(stored).toBeGreaterThanOrEqual(0)
            }),
          ),
        ),
        { numRuns: 100 },
      ),
    60_000,
  )

  it(
    "racing decrements, restores of what was sold and adjustments conserve stock + sold exactly",
    () =>
      fc.assert(
        fc.asyncProperty(
          fc.nat(60),
          fc.array(fc.record({ take: fc.integer({ min: 1, max: 5 }), giveBack: fc.nat(5) }), {
            minLength: 100,
            maxLength: 300,
          }),
          fc.array(
            fc.integer({ min: -8, max: 8 }).filter((n) => n !== 0),
            { maxLength: 40 },
          ),
          (initial, orders, adjustments) =>
            runWithStore(
              Effect.gen(function* () {
                const product = yield* seedProduct({ stock: initial })
                const products = yield* ProductRepository
                // An order takes units and may later give some back (a partial cancellation).
                const orderRuns = orders.map(({ take, giveBack }) =>
                  Effect.gen(function* () {
                    const exit = yield* Effect.exit(products.decrementStock(product.id, Quantity.make(take)))
                    if (Exit.isFailure(exit)) return { sold: 0, adjusted: 0 }
                    const back = Math.min(giveBack, take)
                    if (back > 0) yield* products.restoreStock(product.id, Quantity.make(back))
                    return { sold: take - back, adjusted: 0 }
                  }),
                )
                const adjustmentRuns = adjustments.map((delta) =>
                  Effect.map(Effect.exit(products.adjustStock(product.id, delta)), (exit) => ({
                    sold: 0,
                    adjusted: Exit.isSuccess(exit) ? delta : 0,
                  })),
                )
                const results = yield* Effect.all([...orderRuns, ...adjustmentRuns], { concurrency: "unbounded" })
                const sold = results.reduce((sum, r) => sum + r.sold, 0)
                const adjusted = results.reduce((sum, r) => sum + r.adjusted, 0)
                const stock = Option.getOrThrow(yield* products.findById(product.id)).stock
                expect(stock).toBeGreaterThanOrEqual(0)
                expect(stock + sold).toBe(initial + adjusted)
              }),
            ),
        ),
        { numRuns: 30 },
      ),
    60_000,
  )
})
