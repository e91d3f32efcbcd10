import { CartService, OrderService, PointService, PointWalletRepository, UserId } from "@commerce-core/domain"
import { it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { expect } from "vitest"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { mysqlWorld, seedProduct } from "./support/MysqlWorld.js"

const USERS = 8
const ADDS = 40

describeMysql("ordering from the cart on MySQL while the cart grows", () => {
  const db = useTestDatabase({ poolSize: 24 })

  it.live(
    "orders from the cart racing adds to the ordered line: the cart keeps exactly the units added beyond those ordered",
    () =>
      Effect.gen(function* () {
        const orders = yield* OrderService
        const cart = yield* CartService
        // A product per user, so that the orders do not queue on one stock row (and hold every
        // pooled connection) while the adds wait for one.
        const users = yield* Effect.forEach(
          Array.from({ length: USERS }, (_, i) => UserId.make(i + 1)),
          (user) =>
            Effect.gen(function* () {
              const product = yield* seedProduct({ price: 100, stock: 5 + ADDS })
              yield* (yield* PointWalletRepository).create(user, new Date(0))
              yield* (yield* PointService).charge({ userId: user, amount: 1_000_000 })
              yield* cart.add(user, product.id, 5)
              return { user, product: product.id }
            }),
        )
        const results = yield* Effect.all(
          users.map(({ user, product }) =>
            Effect.all(
              [
                Effect.exit(
                  Effect.delay(orders.place({ userId: user, fromCart: true, paymentType: "POINT" }), "10 millis"),
                ),
                // Spread over the order's transaction, so that some land between its reads and writes.
                Effect.all(
                  Array.from({ length: ADDS }, (_, n) =>
                    Effect.exit(Effect.delay(cart.add(user, product, 1), `${n} millis`)),
                  ),
                  { concurrency: "unbounded" },
                ),
              ],
              { concurrency: "unbounded" },
            ),
          ),
          { concurrency: "unbounded" },
        )
        for (const [i, [placed, adds]] of results.entries()) {
          const { user, product } = users[i] as (typeof users)[number]
          if (!Exit.isSuccess(placed)) throw new Error(`order of user ${user} failed: ${placed.cause}`)
          expect(adds.filter(Exit.isFailure)).toEqual([])
          const ordered = placed.value.order.lines[0]?.quantity ?? 0
          expect(ordered).toBeGreaterThanOrEqual(5)
          const left = 5 + ADDS - ordered
          const items = (yield* cart.view(user)).items.map((item) => [item.productId, item.quantity])
          expect(items).toEqual(left === 0 ? [] : [[product, left]])
        }
      }).pipe(Effect.provide(db.fresh(mysqlWorld()))),
    60_000,
  )
})
