import {
  CartService,
  CouponService,
  OrderRepository,
  OrderService,
  PageRequest,
  ProductRepository,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { balanceOf, orderWorld, outboxEvents, seedCoupon, seedProduct, seedUser, stockOf } from "./OrderWorld.js"

describe("OrderService.place", () => {
  it.effect("a POINT order is paid atomically: stock taken, points used, events written", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 100_000)
      const a = yield* seedProduct({ price: 1_000, stock: 10, name: "Apple" })
      const b = yield* seedProduct({ price: 2_500, stock: 5, name: "Banana" })
      const { order, payment } = yield* orders.place({
        userId: user,
        items: [
          { productId: b.id, quantity: 2 },
          { productId: a.id, quantity: 3 },
        ],
        paymentType: "POINT",
      })
      expect(order.status).toBe("PAID")
      expect([order.subtotal, order.discount, order.paidAmount]).toEqual([8_000, 0, 8_000])
      expect(order.lines.map((l) => [l.productName, l.unitPrice, l.quantity])).toEqual([
        ["Banana", 2_500, 2],
        ["Apple", 1_000, 3],
      ])
      expect(order.history.map((h) => h.status)).toEqual(["PENDING_PAYMENT", "PAID"])
      expect(payment).toMatchObject({ type: "POINT", status: "SUCCESS", amount: 8_000 })
      expect([yield* stockOf(a.id), yield* stockOf(b.id)]).toEqual([7, 3])
      expect(yield* balanceOf(user)).toBe(92_000)
      // Order is promised per aggregate only: the order's events in order, each product's, the wallet's.
      const events = (yield* outboxEvents).filter((e) => e._tag !== "PointsCharged")
      expect(events.map((e) => e._tag).sort()).toEqual(
        ["OrderPaid", "OrderPlaced", "PointsUsed", "StockDecreased", "StockDecreased"].sort(),
      )
      const byAggregate = (key: string) => events.filter((e) => e.aggregateKey === key).map((e) => e._tag)
      expect(byAggregate(`order:${order.id}`)).toEqual(["OrderPlaced", "OrderPaid"])
      expect(byAggregate(`product:${a.id}`)).toEqual(["StockDecreased"])
      expect(byAggregate(`product:${b.id}`)).toEqual(["StockDecreased"])
      // Stock is taken in ascending product order (the lock order), whatever the order of the lines.
      const decreased = events.filter((e) => e._tag === "StockDecreased")
      expect(decreased.map((e) => e._tag === "StockDecreased" && e.productId)).toEqual([a.id, b.id])
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("keeps the name and price of order time when the product changes later", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 10_000)
      const p = yield* seedProduct({ price: 1_000, stock: 10, name: "Old name" })
      const placed = yield* orders.place({
        userId: user,
        items: [{ productId: p.id, quantity: 1 }],
        paymentType: "POINT",
      })
      const products = yield* ProductRepository
      yield* products.update(p.id, { price: 5_000 as never, name: "New name" as never })
      const again = yield* orders.get(user, placed.order.id)
      expect(again.order.lines[0]).toMatchObject({ productName: "Old name", unitPrice: 1_000 })
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("applies an issued coupon: paid = subtotal - discount; the coupon cannot pay twice", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 100_000)
      const p = yield* seedProduct({ price: 10_000, stock: 10 })
      const couponId = yield* seedCoupon(user, "RATE", 15)
      const { order } = yield* orders.place({
        userId: user,
        items: [{ productId: p.id, quantity: 2 }],
        couponId,
        paymentType: "POINT",
      })
      expect([order.subtotal, order.discount, order.paidAmount, order.couponId]).toEqual([
        20_000,
        3_000,
        17_000,
        couponId,
      ])
      expect(yield* balanceOf(user)).toBe(83_000)
      const second = yield* Effect.flip(
        orders.place({ userId: user, items: [{ productId: p.id, quantity: 1 }], couponId, paymentType: "POINT" }),
      )
      expect(second.code).toBe("COUPON_ALREADY_USED")
      expect(yield* stockOf(p.id)).toBe(8)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("every rejected order changes nothing and fails with its specific code", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 2_000)
      const cheap = yield* seedProduct({ price: 1_000, stock: 10, maxOrderQuantity: 3 })
      const scarce = yield* seedProduct({ price: 100, stock: 1 })
      const off = yield* seedProduct({ price: 100, stock: 10, status: "INACTIVE" })
      const couponId = yield* seedCoupon(user, "FIXED", 500)
      const before = (yield* outboxEvents).length
      const attempt = (items: ReadonlyArray<{ productId: number; quantity: number }>, extra: object = {}) =>
        Effect.map(
          Effect.flip(orders.place({ userId: user, items, paymentType: "POINT", couponId, ...extra })),
          (e) => e.code,
        )
      expect(yield* attempt([{ productId: 999_999, quantity: 1 }])).toBe("PRODUCT_NOT_FOUND")
      expect(
        yield* attempt([
          { productId: cheap.id, quantity: 1 },
          { productId: off.id, quantity: 1 },
        ]),
      ).toBe("PRODUCT_UNAVAILABLE")
      expect(yield* attempt([{ productId: cheap.id, quantity: 4 }])).toBe("QUANTITY_LIMIT_EXCEEDED")
      expect(
        yield* attempt([
          { productId: cheap.id, quantity: 2 },
          { productId: scarce.id, quantity: 2 },
        ]),
      ).toBe("OUT_OF_STOCK")
      expect(
        yield* attempt([
          { productId: cheap.id, quantity: 3 },
          { productId: scarce.id, quantity: 1 },
        ]),
      ).toBe("INSUFFICIENT_POINTS")
      expect(yield* attempt([])).toBe("INVALID_ORDER_LINES")
      expect(
        yield* attempt([
          { productId: cheap.id, quantity: 1 },
          { productId: cheap.id, quantity: 1 },
        ]),
      ).toBe("INVALID_ORDER_LINES")
      expect(yield* attempt(Array.from({ length: 51 }, (_, i) => ({ productId: i + 1, quantity: 1 })))).toBe(
        "INVALID_ORDER_LINES",
      )
      expect(yield* attempt([{ productId: cheap.id, quantity: 0 }])).toBe("INVALID_ORDER_LINES")
      expect(yield* attempt([{ productId: cheap.id, quantity: 1.5 }])).toBe("INVALID_ORDER_LINES")
      expect(yield* attempt([{ productId: cheap.id, quantity: 1 }], { paymentType: "CARD" })).toBe("BAD_REQUEST")
      expect(yield* attempt([{ productId: cheap.id, quantity: 1 }], { fromCart: true })).toBe("BAD_REQUEST")

      expect([yield* stockOf(cheap.id), yield* stockOf(scarce.id), yield* stockOf(off.id)]).toEqual([10, 1, 10])
      expect(yield* balanceOf(user)).toBe(2_000)
      expect((yield* outboxEvents).length).toBe(before)
      const mine = yield* (yield* CouponService).listMine(user)
      expect(mine.map((c) => c.status)).toEqual(["AVAILABLE"])
      expect((yield* orders.list(user, PageRequest.make({}))).totalElements).toBe(0)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("ordering from the cart removes exactly the ordered lines; an empty cart is refused", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const cart = yield* CartService
      const user = yield* seedUser(1, 50_000)
      const a = yield* seedProduct({ price: 1_000, stock: 10 })
      const b = yield* seedProduct({ price: 2_000, stock: 10 })
      yield* cart.add(user, a.id, 2)
      yield* cart.add(user, b.id, 1)
      const { order } = yield* orders.place({ userId: user, fromCart: true, paymentType: "POINT" })
      expect(order.lines.map((l) => [l.productId, l.quantity]).sort()).toEqual(
        [
          [a.id, 2],
          [b.id, 1],
        ].sort(),
      )
      expect((yield* cart.view(user)).items).toEqual([])
      const empty = yield* Effect.flip(orders.place({ userId: user, fromCart: true, paymentType: "POINT" }))
      expect(empty.code).toBe("INVALID_ORDER_LINES")
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("a failed cart order leaves the cart as it was", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const cart = yield* CartService
      const user = yield* seedUser(1, 1_000)
      const a = yield* seedProduct({ price: 5_000, stock: 10 })
      yield* cart.add(user, a.id, 1)
      const failed = yield* Effect.flip(orders.place({ userId: user, fromCart: true, paymentType: "POINT" }))
      expect(failed.code).toBe("INSUFFICIENT_POINTS")
      expect((yield* cart.view(user)).items.map((i) => i.productId)).toEqual([a.id])
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("only the owner sees an order; lists are newest first", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const owner = yield* seedUser(1, 50_000)
      const other = yield* seedUser(2, 50_000)
      const p = yield* seedProduct({ price: 100, stock: 100 })
      const ids: Array<number> = []
      for (let i = 0; i < 3; i++) {
        ids.push(
          (yield* orders.place({ userId: owner, items: [{ productId: p.id, quantity: 1 }], paymentType: "POINT" }))
            .order.id,
        )
      }
      const stranger = yield* Effect.flip(orders.get(other, ids[0] as never))
      expect(stranger.code).toBe("ORDER_NOT_FOUND")
      const page = yield* orders.list(owner, PageRequest.make({ size: 2 }))
      expect(page.items.map((o) => o.id)).toEqual([ids[2], ids[1]])
      expect((yield* orders.list(other, PageRequest.make({}))).totalElements).toBe(0)
      const repo = yield* OrderRepository
      expect(Option.isSome(yield* repo.findById(ids[0] as never))).toBe(true)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("hundreds of racing orders never oversell: exactly the stock is sold", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const p = yield* seedProduct({ price: 1_000, stock: 100 })
      const users = yield* Effect.forEach(
        Array.from({ length: 300 }, (_, i) => i + 1),
        (n) => seedUser(n, 2_000),
      )
      const results = yield* Effect.all(
        users.map((userId) =>
          Effect.either(orders.place({ userId, items: [{ productId: p.id, quantity: 1 }], paymentType: "POINT" })),
        ),
        { concurrency: "unbounded" },
      )
      const ok = results.filter((r) => r._tag === "Right")
      const codes = new Set(results.flatMap((r) => (r._tag === "Left" ? [r.left.code] : [])))
      expect(ok).toHaveLength(100)
      expect([...codes]).toEqual(["OUT_OF_STOCK"])
      expect(yield* stockOf(p.id)).toBe(0)
      const balances = yield* Effect.forEach(users, balanceOf)
      expect(balances.reduce((s, b) => s + b, 0)).toBe(300 * 2_000 - 100 * 1_000)
    }).pipe(Effect.provide(orderWorld())),
  )

  it.effect("one coupon in many concurrent orders is used by exactly one", () =>
    Effect.gen(function* () {
      const orders = yield* OrderService
      const user = yield* seedUser(1, 1_000_000)
      const p = yield* seedProduct({ price: 1_000, stock: 1_000 })
      const couponId = yield* seedCoupon(user, "FIXED", 500)
      const results = yield* Effect.all(
        Array.from({ length: 100 }, () =>
          Effect.either(
            orders.place({ userId: user, items: [{ productId: p.id, quantity: 1 }], couponId, paymentType: "POINT" }),
          ),
        ),
        { concurrency: "unbounded" },
      )
      expect(results.filter((r) => r._tag === "Right")).toHaveLength(1)
      expect(yield* stockOf(p.id)).toBe(999)
      expect(yield* balanceOf(user)).toBe(1_000_000 - 500)
    }).pipe(Effect.provide(orderWorld())),
  )
})
