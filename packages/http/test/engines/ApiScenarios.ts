import { afterAll, beforeAll, expect, it } from "vitest"
import { type Actor, eventually } from "../support/ApiServer.js"
import {
  describeEngines,
  type EngineServer,
  engineEnvironment,
  redisKeys,
  startOrThrow,
  useEngineTarget,
} from "../support/EngineServer.js"
import { expectFailure, expectSuccess } from "../support/Http.js"

const card = { cardType: "SAMSUNG", cardNo: "1234-5678-9012-3456" }

/** The API's main flows and races over real HTTP on MySQL (and Redis when asked). */
export const engineApiSuite = (name: string, engines: { readonly redis: boolean }) =>
  describeEngines(name, engines, () => {
    const target = useEngineTarget()
    let api: EngineServer
    let brandId: number
    beforeAll(async () => {
      api = await startOrThrow(engineEnvironment(target, engines))
      brandId = (await api.createBrand("Engines")).id
    })
    afterAll(() => api?.server.close())

    const place = (actor: Actor, body: unknown) => api.client.post("/api/v1/orders", { headers: actor.headers, body })
    const stockOf = async (id: number) => (await api.product(id)).stock as number

    it("reports every configured engine on /ready", async () => {
      const ready = await api.client.get("/ready")
      expect(ready.status).toBe(200)
      expect(ready.body).toEqual({
        status: "UP",
        checks: engines.redis ? { mysql: "UP", redis: "UP" } : { mysql: "UP" },
      })
      expect(api.mode).toBe(engines.redis ? "mysql+redis" : "mysql")
    })

    it("signs up, logs in, charges, places a point order and cancels it with a refund", async () => {
      const user = await api.signUp()
      expectFailure(
        await api.client.post("/api/v1/auth/login", { body: { userId: user.loginId, password: "wrong-password" } }),
        401,
        "UNAUTHORIZED",
      )
      const charged = expectSuccess(
        await api.client.post("/api/v1/points/charge", {
          headers: { ...user.headers, "idempotency-key": "first-charge" },
          body: { reqPoint: 100_000 },
        }),
      )
      const replay = await api.client.post("/api/v1/points/charge", {
        headers: { ...user.headers, "idempotency-key": "first-charge" },
        body: { reqPoint: 100_000 },
      })
      expect(replay.headers.get("idempotent-replayed")).toBe("true")
      expect(expectSuccess(replay)).toEqual(charged)
      expect(await api.balance(user)).toBe(100_000)

      const p = await api.createProduct({ brandId, price: 5_000, stock: 10 })
      const placed = expectSuccess(await place(user, { items: [{ productId: p.id, quantity: 2 }] }), 201)
      expect(placed).toMatchObject({ status: "PAID", totalAmount: 10_000, paidAmount: 10_000 })
      expect([await stockOf(p.id), await api.balance(user)]).toEqual([8, 90_000])

      const cancelled = expectSuccess(
        await api.client.post(`/api/v1/orders/${placed.orderId}/cancel`, { headers: user.headers }),
      )
      expect(cancelled.history.map((h: { status: string }) => h.status)).toEqual([
        "PENDING_PAYMENT",
        "PAID",
        "CANCELLED",
      ])
      expect([await stockOf(p.id), await api.balance(user)]).toEqual([10, 100_000])
      const history = expectSuccess(await api.client.get("/api/v1/points/history", { headers: user.headers }))
      expect(history.items.map((e: { type: string }) => e.type)).toEqual(["REFUND", "USE", "CHARGE"])
    })

    it("settles a card order through the gateway's callback, then refunds it on cancel", async () => {
      const user = await api.signUp()
      const p = await api.createProduct({ brandId, price: 4_000, stock: 5 })
      const placed = expectSuccess(
        await place(user, { items: [{ productId: p.id, quantity: 1 }], paymentType: "CARD", card }),
        201,
      )
      expect(placed.payment).toMatchObject({ type: "CARD", status: "PENDING", transactionKey: expect.any(String) })
      await eventually(async () => {
        const order = expectSuccess(await api.client.get(`/api/v1/orders/${placed.orderId}`, { headers: user.headers }))
        expect(order.status).toBe("PAID")
        expect(order.payment.status).toBe("SUCCESS")
      })
      expect(await stockOf(p.id)).toBe(4)
      const cancelled = expectSuccess(
        await api.client.post(`/api/v1/orders/${placed.orderId}/cancel`, { headers: user.headers }),
      )
      expect(cancelled.status).toBe("CANCELLED")
      expect(cancelled.payment.status).toBe("REFUNDED")
      expect(await stockOf(p.id)).toBe(5)
    })

    it("ranks products once the pipeline has delivered the events", async () => {
      const user = await api.signUp()
      await api.charge(user, 50_000)
      const ordered = await api.createProduct({ brandId, price: 2_000, name: "ranked-ordered" })
      const liked = await api.createProduct({ brandId, price: 3_000, name: "ranked-liked" })
      expectSuccess(await place(user, { items: [{ productId: ordered.id, quantity: 3 }] }), 201)
      expectSuccess(await api.client.post(`/api/v1/like/products/${liked.id}`, { headers: user.headers }))
      await eventually(async () => {
        const page = expectSuccess(await api.client.get("/api/v1/rankings?size=100"))
        const ids = page.items.map((i: { product: { id: number } }) => i.product.id)
        expect(ids).toContain(ordered.id)
        expect(ids).toContain(liked.id)
        expect(ids.indexOf(ordered.id)).toBeLessThan(ids.indexOf(liked.id))
      }, 20_000)
      const detail = expectSuccess(await api.client.get(`/api/v1/products/${liked.id}`))
      expect(detail.likeCount).toBe(1)
    })

    it("sells exactly the stock of a hot product to 200 concurrent orders", async () => {
      const USERS = 20
      const ORDERS_EACH = 10
      const STOCK = 50
      const PRICE = 1_000
      const p = await api.createProduct({ brandId, price: PRICE, stock: STOCK })
      const users = await Promise.all(Array.from({ length: USERS }, () => api.signUp()))
      await Promise.all(users.map((u) => api.charge(u, 100_000)))
      const responses = await Promise.all(
        users.flatMap((u) =>
          Array.from({ length: ORDERS_EACH }, () => place(u, { items: [{ productId: p.id, quantity: 1 }] })),
        ),
      )
      const codes = responses.map((r) => (r.status === 201 ? "PLACED" : r.body?.meta?.errorCode))
      expect(codes.filter((c) => c === "PLACED")).toHaveLength(STOCK)
      expect(codes.filter((c) => c === "OUT_OF_STOCK")).toHaveLength(USERS * ORDERS_EACH - STOCK)
      expect(await stockOf(p.id)).toBe(0)
      const balances = await Promise.all(users.map((u) => api.balance(u)))
      expect(balances.reduce((a, b) => a + b, 0)).toBe(USERS * 100_000 - STOCK * PRICE)
      const owned = await Promise.all(
        users.map(
          async (u) =>
            expectSuccess(await api.client.get("/api/v1/orders?size=100", { headers: u.headers })).totalElements,
        ),
      )
      expect(owned.reduce((a, b) => a + b, 0)).toBe(STOCK)
    })

    it("issues exactly the quantity of a coupon to 120 users racing twice each", async () => {
      const USERS = 120
      const QUANTITY = 30
      const template = await api.createCoupon({ totalQuantity: QUANTITY })
      const users = await Promise.all(Array.from({ length: USERS }, () => api.signUp()))
      const responses = await Promise.all(
        users.flatMap((u) =>
          [0, 1].map(() => api.client.post(`/api/v1/coupons/${template.id}/issue`, { headers: u.headers })),
        ),
      )
      const codes = responses.map((r) => (r.status < 300 ? "ISSUED" : r.body?.meta?.errorCode))
      expect(codes.filter((c) => c === "ISSUED")).toHaveLength(QUANTITY)
      expect(codes.every((c) => c === "ISSUED" || c === "COUPON_SOLD_OUT" || c === "COUPON_ALREADY_ISSUED")).toBe(true)
      const owned = await Promise.all(
        users.map(
          async (u) =>
            expectSuccess(await api.client.get("/api/v1/coupons", { headers: u.headers })).items.filter(
              (c: { couponId: number }) => c.couponId === template.id,
            ).length,
        ),
      )
      expect(owned.every((n) => n <= 1)).toBe(true)
      expect(owned.reduce((a, b) => a + b, 0)).toBe(QUANTITY)
    })

    it("shows a stock change on the very next product read", async () => {
      const user = await api.signUp()
      await api.charge(user, 10_000)
      const p = await api.createProduct({ brandId, price: 1_000, stock: 7 })
      expect(await stockOf(p.id)).toBe(7) // warms the cache when there is one
      expectSuccess(await place(user, { items: [{ productId: p.id, quantity: 2 }] }), 201)
      expect(await stockOf(p.id)).toBe(5)
      expectSuccess(
        await api.client.post(`/api/admin/v1/products/${p.id}/stock`, { headers: api.admin, body: { delta: 35 } }),
      )
      expect(await stockOf(p.id)).toBe(40)
    })

    it(engines.redis ? "keeps the hot paths in Redis" : "keeps nothing in Redis", async () => {
      const keys = await redisKeys(target)
      const present = (pattern: RegExp) => keys.some((key) => pattern.test(key))
      const hot = {
        rankingBoard: present(/^ranking:all:\d{8}$/),
        idempotency: present(/^idem:/),
        productCache: present(/\{product:\d+\}/),
        couponGate: present(/^coupon:\d+:holders$/),
      }
      expect(hot).toEqual({
        rankingBoard: engines.redis,
        idempotency: engines.redis,
        productCache: engines.redis,
        couponGate: engines.redis,
      })
    })
  })
