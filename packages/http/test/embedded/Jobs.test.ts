import { PasswordHasherScryptWith } from "@commerce-core/adapters-memory"
import { CatalogService, OrderService, UserService } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Layer, TestClock } from "effect"
import { makeEmbeddedLayer } from "../../src/embedded/EmbeddedLayer.js"
import { makeEmbeddedJobs } from "../../src/embedded/Jobs.js"

const embedded = makeEmbeddedLayer({
  gateway: { seed: 3, latency: Duration.millis(100), requestFailureRatio: 0, declineRatio: 0, lostCallbackRatio: 1 },
  relayDaemon: false,
  passwordHasher: PasswordHasherScryptWith({ logN: 4, r: 1, p: 1 }),
})
const withJobs = Layer.merge(
  embedded,
  makeEmbeddedJobs({
    reconcileEvery: "5 seconds",
    reconcileOlderThan: "20 seconds",
    rebuildPeriodsEvery: "1 hour",
  }).pipe(Layer.provide(embedded)),
)

describe("embedded jobs", () => {
  it.scoped("settles a card payment whose callback was lost, by reconciliation alone", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-03-01T00:00:00Z"))
      const context = yield* Layer.build(withJobs)
      const run = <A, E>(effect: Effect.Effect<A, E, UserService | CatalogService | OrderService>) =>
        Effect.provide(effect, context)
      const { orderId, userId } = yield* run(
        Effect.gen(function* () {
          const user = yield* (yield* UserService).signUp({
            loginId: "job1",
            email: "job1@x.io",
            gender: "FEMALE",
            birthDate: "1990-01-01",
          })
          const catalog = yield* CatalogService
          const brand = yield* catalog.createBrand({ name: "B", description: "" })
          const product = yield* catalog.createProduct({
            brandId: brand.id,
            name: "P",
            description: "",
            price: 5_000,
            stock: 3,
            maxOrderQuantity: 3,
          })
          const placed = yield* (yield* OrderService).place({
            userId: user.id,
            items: [{ productId: product.product.id, quantity: 1 }],
            paymentType: "CARD",
            card: { cardType: "HYUNDAI", cardNo: "1111-2222-3333-4444" },
          })
          return { orderId: placed.order.id, userId: user.id }
        }),
      )
      const status = run(Effect.flatMap(OrderService, (orders) => orders.get(userId, orderId))).pipe(
        Effect.map((record) => record.order.status),
      )
      yield* TestClock.adjust("10 seconds")
      // settled at the gateway, callback lost, not yet old enough to reconcile
      expect(yield* status).toBe("PENDING_PAYMENT")
      for (let second = 0; second < 60 && (yield* status) === "PENDING_PAYMENT"; second++) {
        yield* TestClock.adjust("1 second")
      }
      expect(yield* status).toBe("PAID")
    }),
  )
})
