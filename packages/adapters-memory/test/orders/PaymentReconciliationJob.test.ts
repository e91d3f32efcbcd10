import { OrderRepository, OrderService, PaymentReconciliationJob } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"
import { card, orderWorld, seedProduct, seedUser } from "./OrderWorld.js"

describe("PaymentReconciliationJob", () => {
  it.effect("settles a payment whose callback was lost on its next run, and keeps running", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const repo = yield* OrderRepository
      const user = yield* seedUser(1, 10_000)
      const p = yield* seedProduct({ price: 1_000, stock: 10 })
      const place = () =>
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(
            orders.place({ userId: user, items: [{ productId: p.id, quantity: 1 }], paymentType: "CARD", card }),
          )
          yield* TestClock.adjust("10 millis")
          return (yield* Fiber.join(fiber)).order.id
        })
      const status = (id: number) => Effect.map(repo.findById(id as never), (r) => Option.getOrThrow(r).order.status)

      const first = yield* place()
      yield* TestClock.adjust("5 seconds")
      expect(yield* status(first)).toBe("PENDING_PAYMENT")
      yield* TestClock.adjust("10 seconds")
      expect(yield* status(first)).toBe("PAID")

      const second = yield* place()
      yield* TestClock.adjust("30 seconds")
      expect(yield* status(second)).toBe("PAID")
    }).pipe(
      Effect.provide(
        PaymentReconciliationJob({ every: "10 seconds", olderThan: "1 second" }).pipe(
          Layer.provideMerge(orderWorld({ lostCallbackRatio: 1 })),
        ),
      ),
    ),
  )
})
