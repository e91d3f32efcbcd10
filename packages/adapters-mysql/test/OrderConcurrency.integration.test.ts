import {
  CouponService,
  OrderService,
  PointService,
  PointWalletRepository,
  ProductRepository,
  UserId,
} from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { expect } from "vitest"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { mysqlWorld, seedProduct } from "./support/MysqlWorld.js"

const fundedUser = (n: number, points: number) =>
  Effect.gen(function* () {
    const user = UserId.make(n)
    yield* (yield* PointWalletRepository).create(user, new Date(0))
    yield* (yield* PointService).charge({ userId: user, amount: points })
    return user
  })

const countRows = (query: string) =>
  Effect.flatMap(SqlClient, (sql) => sql.unsafe<{ n: number }>(query)).pipe(Effect.map((rows) => Number(rows[0]?.n)))

describeMysql("OrderService on MySQL under real concurrency", () => {
  const db = useTestDatabase({ poolSize: 24 })
  const world = () => db.fresh(mysqlWorld())

  it.live(
    "500 racing point orders for a product with stock 100: exactly 100 orders, stock 0, points spent exactly",
    () =>
      Effect.gen(function* () {
        const orders = yield* OrderService
        const points = yield* PointService
        const product = yield* seedProduct({ price: 1_000, stock: 100 })
        const users = yield* Effect.forEach(
          Array.from({ length: 50 }, (_, i) => i + 1),
          (n) => fundedUser(n, 20_000),
        )
        const attempts = users.flatMap((user) =>
          Array.from({ length: 10 }, () =>
            Effect.either(
              orders.place({ userId: user, items: [{ productId: product.id, quantity: 1 }], paymentType: "POINT" }),
            ).pipe(Effect.map((result) => ({ user, result }))),
          ),
        )
        const results = yield* Effect.all(attempts, { concurrency: "unbounded" })
        const placed = results.filter((r) => Either.isRight(r.result))
        expect(placed).toHaveLength(100)
        const failures = results.flatMap((r) => (Either.isLeft(r.result) ? [r.result.left._tag] : []))
        expect(new Set(failures)).toEqual(new Set(["InsufficientStock"]))
        for (const r of placed) {
          expect(Either.isRight(r.result) && r.result.right.order.status).toBe("PAID")
        }
        const stock = yield* (yield* ProductRepository).findById(product.id)
        expect(stock._tag === "Some" && stock.value.stock).toBe(0)
        let spent = 0
        for (const user of users) {
          const mine = placed.filter((r) => r.user === user).length
          const balance = yield* points.balance(user)
          expect(balance).toBe(20_000 - mine * 1_000)
          spent += 20_000 - balance
        }
        expect(spent).toBe(100 * 1_000)
        expect(yield* countRows("SELECT COUNT(*) AS n FROM orders")).toBe(100)
        expect(yield* countRows("SELECT COUNT(*) AS n FROM payment WHERE status = 'SUCCESS'")).toBe(100)
        expect(yield* countRows("SELECT COUNT(*) AS n FROM point_ledger WHERE type = 'USE'")).toBe(100)
        expect(yield* countRows("SELECT COUNT(*) AS n FROM outbox_event WHERE event_type = 'OrderPlaced'")).toBe(100)
      }).pipe(Effect.provide(world())),
  )

  it.live("one coupon in 50 racing orders of its owner: exactly one order wins, the others change nothing", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const coupons = yield* CouponService
      const points = yield* PointService
      const product = yield* seedProduct({ price: 10_000, stock: 1_000 })
      const user = yield* fundedUser(1, 1_000_000)
      const template = yield* coupons.createTemplate({
        name: "3,000 off",
        type: "FIXED",
        value: 3_000,
        issueStartsAt: new Date(0),
        issueEndsAt: new Date(Date.UTC(2100, 0, 1)),
        validDays: 30,
      })
      const coupon = yield* coupons.issue(template.id, user)
      const results = yield* Effect.all(
        Array.from({ length: 50 }, () =>
          Effect.either(
            orders.place({
              userId: user,
              items: [{ productId: product.id, quantity: 1 }],
              couponId: coupon.id,
              paymentType: "POINT",
            }),
          ),
        ),
        { concurrency: "unbounded" },
      )
      const won = results.filter(Either.isRight)
      expect(won).toHaveLength(1)
      expect(results.filter((r) => Either.isLeft(r) && r.left._tag === "CouponAlreadyUsed")).toHaveLength(49)
      expect(won[0]?.right.order.paidAmount).toBe(7_000)
      const stock = yield* (yield* ProductRepository).findById(product.id)
      expect(stock._tag === "Some" && stock.value.stock).toBe(999)
      expect(yield* points.balance(user)).toBe(1_000_000 - 7_000)
      expect(yield* countRows("SELECT COUNT(*) AS n FROM orders")).toBe(1)
    }).pipe(Effect.provide(world())),
  )
})
