import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Actor, type ApiServer, eventually, startApiServer } from "../support/ApiServer.js"
import { expectFailure, expectSuccess } from "../support/Http.js"

let api: ApiServer
let brandId: number
beforeAll(async () => {
  api = await startApiServer()
  brandId = (await api.createBrand("Orders")).id
})
afterAll(() => api.server.close())

const place = (actor: Actor, body: unknown, key?: string) =>
  api.client.post("/api/v1/orders", { headers: { ...actor.headers, ...(key ? { "idempotency-key": key } : {}) }, body })

const stockOf = async (id: number) => (await api.product(id)).stock as number

describe("point orders", () => {
  it("places a paid order, all lines at once, and shows it to its owner only", async () => {
    const user = await api.signUp()
    await api.charge(user, 100_000)
    const a = await api.createProduct({ brandId, price: 10_000, stock: 5, name: "A" })
    const b = await api.createProduct({ brandId, price: 3_000, stock: 5, name: "B" })
    const placed = expectSuccess(
      await place(user, {
        items: [
          { productId: a.id, quantity: 2 },
          { productId: b.id, quantity: 1 },
        ],
      }),
      201,
    )
    expect(placed).toEqual({
      orderId: expect.any(Number),
      status: "PAID",
      totalAmount: 23_000,
      discountAmount: 0,
      paidAmount: 23_000,
      createdAt: expect.any(String),
      payment: { type: "POINT", status: "SUCCESS", transactionKey: null, amount: 23_000, reason: null },
    })
    expect(await api.balance(user)).toBe(77_000)
    expect([await stockOf(a.id), await stockOf(b.id)]).toEqual([3, 4])

    const detail = expectSuccess(await api.client.get(`/api/v1/orders/${placed.orderId}`, { headers: user.headers }))
    expect(detail.items).toEqual([
      { productId: a.id, productName: "A", quantity: 2, price: 10_000 },
      { productId: b.id, productName: "B", quantity: 1, price: 3_000 },
    ])
    expect(detail.history.map((h: { status: string }) => h.status)).toEqual(["PENDING_PAYMENT", "PAID"])
    const list = expectSuccess(await api.client.get("/api/v1/orders", { headers: user.headers }))
    expect(list.items).toEqual([
      {
        orderId: placed.orderId,
        status: "PAID",
        representativeProductName: "A",
        itemCount: 2,
        totalAmount: 23_000,
        paidAmount: 23_000,
        orderDate: expect.any(String),
      },
    ])

    const stranger = await api.signUp()
    expectFailure(
      await api.client.get(`/api/v1/orders/${placed.orderId}`, { headers: stranger.headers }),
      404,
      "ORDER_NOT_FOUND",
    )
    expectFailure(
      await api.client.post(`/api/v1/orders/${placed.orderId}/cancel`, { headers: stranger.headers }),
      404,
      "ORDER_NOT_FOUND",
    )
    expectFailure(await api.client.get(`/api/v1/orders/${placed.orderId}`), 401, "UNAUTHORIZED")
  })

  it("fails the whole order and changes nothing when one line cannot be served", async () => {
    const user = await api.signUp()
    await api.charge(user, 100_000)
    const a = await api.createProduct({ brandId, stock: 5, max: 3 })
    const scarce = await api.createProduct({ brandId, stock: 1 })
    const lines = (q: number) => ({
      items: [
        { productId: a.id, quantity: 2 },
        { productId: scarce.id, quantity: q },
      ],
    })
    expectFailure(await place(user, lines(2)), 409, "OUT_OF_STOCK")
    expectFailure(await place(user, { items: [{ productId: a.id, quantity: 4 }] }), 400, "QUANTITY_LIMIT_EXCEEDED")
    expectFailure(await place(user, { items: [{ productId: 999999, quantity: 1 }] }), 404, "PRODUCT_NOT_FOUND")
    const poor = await api.signUp()
    expectFailure(await place(poor, lines(1)), 409, "INSUFFICIENT_POINTS")
    expect([await stockOf(a.id), await stockOf(scarce.id), await api.balance(user)]).toEqual([5, 1, 100_000])
    const orders = expectSuccess(await api.client.get("/api/v1/orders", { headers: user.headers }))
    expect(orders.totalElements).toBe(0)
  })

  it("cancels a paid order: stock comes back and the points are refunded", async () => {
    const user = await api.signUp()
    await api.charge(user, 50_000)
    const p = await api.createProduct({ brandId, price: 7_000, stock: 4 })
    const placed = expectSuccess(await place(user, { items: [{ productId: p.id, quantity: 3 }] }), 201)
    expect([await stockOf(p.id), await api.balance(user)]).toEqual([1, 29_000])
    const cancelled = expectSuccess(
      await api.client.post(`/api/v1/orders/${placed.orderId}/cancel`, { headers: user.headers }),
    )
    expect(cancelled.status).toBe("CANCELLED")
    expect(cancelled.history.map((h: { status: string }) => h.status)).toEqual(["PENDING_PAYMENT", "PAID", "CANCELLED"])
    expect([await stockOf(p.id), await api.balance(user)]).toEqual([4, 50_000])
    expectFailure(
      await api.client.post(`/api/v1/orders/${placed.orderId}/cancel`, { headers: user.headers }),
      409,
      "INVALID_ORDER_STATUS",
    )
    const history = expectSuccess(await api.client.get("/api/v1/points/history", { headers: user.headers }))
    expect(history.items.map((e: { type: string }) => e.type)).toEqual(["REFUND", "USE", "CHARGE"])
    expect(history.items[0].orderId).toBe(placed.orderId)
  })

  it("orders the cart and removes exactly the ordered lines", async () => {
    const user = await api.signUp()
    await api.charge(user, 50_000)
    const p = await api.createProduct({ brandId, price: 1_000 })
    await api.client.post("/api/v1/cart/items", { headers: user.headers, body: { productId: p.id, quantity: 2 } })
    const placed = expectSuccess(await place(user, { fromCart: true }), 201)
    expect(placed.totalAmount).toBe(2_000)
    expect(expectSuccess(await api.client.get("/api/v1/cart", { headers: user.headers })).items).toEqual([])
  })

  it("replays an order sent again with the same Idempotency-Key and takes stock once", async () => {
    const user = await api.signUp()
    await api.charge(user, 50_000)
    const p = await api.createProduct({ brandId, price: 1_000, stock: 10 })
    const body = { items: [{ productId: p.id, quantity: 1 }] }
    const first = expectSuccess(await place(user, body, "order-key"), 201)
    const again = await place(user, body, "order-key")
    expect(expectSuccess(again, 201)).toEqual(first)
    expect(again.headers.get("idempotent-replayed")).toBe("true")
    expectFailure(
      await place(user, { items: [{ productId: p.id, quantity: 2 }] }, "order-key"),
      422,
      "IDEMPOTENCY_KEY_REUSED",
    )
    expect(await stockOf(p.id)).toBe(9)
  })
})

describe("coupons", () => {
  it("issues once per user, discounts an order, and comes back when the order is cancelled", async () => {
    const user = await api.signUp()
    await api.charge(user, 50_000)
    const template = await api.createCoupon({ type: "RATE", value: 10, maxDiscount: 1_500, minOrderAmount: 5_000 })
    expect(template).toMatchObject({
      type: "RATE",
      value: 10,
      maxDiscount: 1_500,
      minOrderAmount: 5_000,
      totalQuantity: null,
    })
    const issued = expectSuccess(
      await api.client.post(`/api/v1/coupons/${template.id}/issue`, { headers: user.headers }),
      201,
    )
    expect(issued).toMatchObject({
      couponId: template.id,
      status: "AVAILABLE",
      name: "Coupon",
      type: "RATE",
      value: 10,
    })
    expectFailure(
      await api.client.post(`/api/v1/coupons/${template.id}/issue`, { headers: user.headers }),
      409,
      "COUPON_ALREADY_ISSUED",
    )
    const p = await api.createProduct({ brandId, price: 20_000 })
    const cheap = await api.createProduct({ brandId, price: 1_000 })
    expectFailure(
      await place(user, { items: [{ productId: cheap.id, quantity: 1 }], couponId: issued.id }),
      400,
      "COUPON_MIN_ORDER_AMOUNT_NOT_MET",
    )
    const placed = expectSuccess(
      await place(user, { items: [{ productId: p.id, quantity: 1 }], couponId: issued.id }),
      201,
    )
    expect(placed).toMatchObject({ totalAmount: 20_000, discountAmount: 1_500, paidAmount: 18_500 })
    const used = expectSuccess(await api.client.get("/api/v1/coupons?status=USED", { headers: user.headers }))
    expect(used.items.map((c: { id: number }) => c.id)).toEqual([issued.id])
    expectFailure(
      await place(user, { items: [{ productId: p.id, quantity: 1 }], couponId: issued.id }),
      409,
      "COUPON_ALREADY_USED",
    )
    const stranger = await api.signUp()
    await api.charge(stranger, 50_000)
    expect(
      (await place(stranger, { items: [{ productId: p.id, quantity: 1 }], couponId: issued.id })).status,
    ).toBeGreaterThanOrEqual(400)
    await api.client.post(`/api/v1/orders/${placed.orderId}/cancel`, { headers: user.headers })
    const available = expectSuccess(await api.client.get("/api/v1/coupons?status=AVAILABLE", { headers: user.headers }))
    expect(available.items.map((c: { id: number }) => c.id)).toEqual([issued.id])
    expectFailure(
      await api.client.post("/api/v1/coupons/999999/issue", { headers: user.headers }),
      404,
      "COUPON_NOT_FOUND",
    )
  })
})

describe("card payments", () => {
  const card = { cardType: "SAMSUNG", cardNo: "1234-5678-9012-3456" }

  it("stays pending until the gateway settles it, then the callback marks it paid", async () => {
    const user = await api.signUp()
    const p = await api.createProduct({ brandId, price: 4_000, stock: 5 })
    const placed = expectSuccess(
      await place(user, { items: [{ productId: p.id, quantity: 1 }], paymentType: "CARD", card }),
      201,
    )
    expect(placed.status).toBe("PENDING_PAYMENT")
    expect(placed.payment).toMatchObject({ type: "CARD", status: "PENDING", transactionKey: expect.any(String) })
    await eventually(async () => {
      const order = expectSuccess(await api.client.get(`/api/v1/orders/${placed.orderId}`, { headers: user.headers }))
      expect(order.status).toBe("PAID")
    })
    const synced = expectSuccess(
      await api.client.post(`/api/v1/orders/${placed.orderId}/payment/sync`, { headers: user.headers }),
    )
    expect(synced.status).toBe("SUCCESS")
    expectSuccess(
      await api.client.post("/api/v1/payments/callback", {
        body: { transactionKey: placed.payment.transactionKey, orderId: placed.orderId, status: "SUCCESS" },
      }),
    )
    expect(await stockOf(p.id)).toBe(4)
  })

  it("refuses a callback that does not match the gateway's transaction", async () => {
    const user = await api.signUp()
    const p = await api.createProduct({ brandId, price: 4_000 })
    const placed = expectSuccess(
      await place(user, { items: [{ productId: p.id, quantity: 1 }], paymentType: "CARD", card }),
      201,
    )
    const response = await api.client.post("/api/v1/payments/callback", {
      body: { transactionKey: "forged-key", orderId: placed.orderId, status: "SUCCESS" },
    })
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
    expectFailure(
      await api.client.post("/api/v1/payments/callback", {
        body: { transactionKey: "x", orderId: 999999, status: "SUCCESS" },
      }),
      404,
      "ORDER_NOT_FOUND",
    )
  })

  it("requires card details for CARD", async () => {
    const user = await api.signUp()
    const p = await api.createProduct({ brandId })
    expectFailure(
      await place(user, { items: [{ productId: p.id, quantity: 1 }], paymentType: "CARD" }),
      400,
      "BAD_REQUEST",
    )
    expectFailure(
      await place(user, {
        items: [{ productId: p.id, quantity: 1 }],
        paymentType: "CARD",
        card: { cardType: "VISA", cardNo: "1" },
      }),
      400,
      "BAD_REQUEST",
    )
  })
})

describe("card payments with lost callbacks", () => {
  let lossy: ApiServer
  beforeAll(async () => {
    lossy = await startApiServer({ lostCallbackRatio: 1, declineRatio: 1 })
  })
  afterAll(() => lossy.server.close())

  it("settles through payment/sync when the callback never comes; a declined card releases the stock", async () => {
    const user = await lossy.signUp()
    const brand = await lossy.createBrand()
    const p = await lossy.createProduct({ brandId: brand.id, stock: 2 })
    const placed = expectSuccess(
      await lossy.client.post("/api/v1/orders", {
        headers: user.headers,
        body: {
          items: [{ productId: p.id, quantity: 2 }],
          paymentType: "CARD",
          card: { cardType: "KB", cardNo: "1111-2222-3333-4444" },
        },
      }),
      201,
    )
    expect((await lossy.product(p.id)).stock).toBe(0)
    await eventually(async () => {
      const payment = expectSuccess(
        await lossy.client.post(`/api/v1/orders/${placed.orderId}/payment/sync`, { headers: user.headers }),
      )
      expect(payment.status).toBe("FAILED")
    })
    const order = expectSuccess(await lossy.client.get(`/api/v1/orders/${placed.orderId}`, { headers: user.headers }))
    expect(order.status).toBe("PAYMENT_FAILED")
    expect((await lossy.product(p.id)).stock).toBe(2)
  })
})

describe("business metrics", () => {
  it("counts placed orders and payment results from the event stream", async () => {
    const counter = async (pattern: RegExp) => {
      const text = String((await api.client.get("/metrics")).body)
      return Number(pattern.exec(text)?.[1] ?? 0)
    }
    const placedBefore = await counter(/orders_placed_total\{payment_type="POINT"\} (\d+)/)
    const paidBefore = await counter(/payments_total\{payment_type="POINT",result="PAID"\} (\d+)/)
    const user = await api.signUp()
    await api.charge(user, 10_000)
    const p = await api.createProduct({ brandId, price: 1_000 })
    for (let i = 0; i < 3; i++) expectSuccess(await place(user, { items: [{ productId: p.id, quantity: 1 }] }), 201)
    await eventually(async () => {
      expect(await counter(/orders_placed_total\{payment_type="POINT"\} (\d+)/)).toBe(placedBefore + 3)
      expect(await counter(/payments_total\{payment_type="POINT",result="PAID"\} (\d+)/)).toBe(paidBefore + 3)
    })
  })
})
