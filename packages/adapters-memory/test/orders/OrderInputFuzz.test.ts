import { isCodedError, OrderService, type UserId } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, ManagedRuntime } from "effect"
import fc from "fast-check"
import { card, orderWorld, seedProduct, seedUser } from "./OrderWorld.js"

const junk = fc.oneof(fc.anything(), fc.constant(undefined))
const lineArb = fc.oneof(
  junk,
  fc.record({ productId: fc.oneof(fc.integer({ min: -2, max: 4 }), junk), quantity: fc.oneof(fc.integer(), junk) }),
)
const inputArb = fc.record(
  {
    items: fc.oneof(fc.array(lineArb, { maxLength: 4 }), junk),
    fromCart: fc.oneof(fc.boolean(), junk),
    couponId: fc.oneof(fc.integer({ min: -1, max: 3 }), junk),
    paymentType: fc.oneof(fc.constantFrom("POINT", "CARD"), junk),
    card: fc.oneof(fc.constant(card), junk, fc.record({ cardType: fc.string(), cardNo: fc.string() })),
  },
  { requiredKeys: [] },
)

describe("OrderService.place with arbitrary input", () => {
  it("answers every input with an order or a coded domain error, never a defect", async () => {
    const runtime = ManagedRuntime.make(orderWorld())
    try {
      const user = await runtime.runPromise(
        Effect.gen(function* () {
          yield* seedProduct({ price: 100, stock: 1_000 })
          yield* seedProduct({ price: 200, stock: 1_000, status: "INACTIVE" })
          return yield* seedUser(1, 1_000_000)
        }),
      )
      await fc.assert(
        fc.asyncProperty(inputArb, async (input) => {
          const exit = await runtime.runPromiseExit(
            Effect.flatMap(OrderService, (orders) =>
              orders.place({ ...(input as object), userId: user as UserId } as never),
            ),
          )
          if (Exit.isFailure(exit)) {
            expect(Cause.isDie(exit.cause)).toBe(false)
            const failure = Cause.failureOption(exit.cause)
            expect(failure._tag).toBe("Some")
            expect(failure._tag === "Some" && isCodedError(failure.value)).toBe(true)
          }
        }),
        { numRuns: 300 },
      )
    } finally {
      await runtime.dispose()
    }
  }, 60_000)
})
