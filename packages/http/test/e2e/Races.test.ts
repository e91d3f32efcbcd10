import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Actor, type ApiServer, startApiServer } from "../support/ApiServer.js"
import { expectSuccess } from "../support/Http.js"

let api: ApiServer
let users: Array<Actor>
const USERS = 150

beforeAll(async () => {
  api = await startApiServer({ config: { authMode: "gateway" } })
  users = []
  for (let i = 0; i < USERS; i++) users.push(await api.signUp())
}, 60_000)
afterAll(() => api.server.close())

describe("races over HTTP", () => {
  it("issues exactly the limit of a coupon to 150 concurrent users", async () => {
    const template = await api.createCoupon({ totalQuantity: 17 })
    const responses = await Promise.all(
      users.map((u) => api.client.post(`/api/v1/coupons/${template.id}/issue`, { headers: u.headers })),
    )
    const codes = responses.map((r) => (r.status === 201 ? "ISSUED" : r.body.meta.errorCode))
    expect(codes.filter((c) => c === "ISSUED")).toHaveLength(17)
    expect(codes.filter((c) => c === "COUPON_SOLD_OUT")).toHaveLength(USERS - 17)
    const owned = await Promise.all(
      users.map(
        async (u) => expectSuccess(await api.client.get("/api/v1/coupons", { headers: u.headers })).items.length,
      ),
    )
    expect(owned.reduce((a, b) => a + b, 0)).toBe(17)
  })

  it("sells exactly the stock of a hot product to 150 concurrent buyers", async () => {
    const brand = await api.createBrand()
    const product = await api.createProduct({ brandId: brand.id, price: 1_000, stock: 23, max: 5 })
    await Promise.all(users.map((u) => api.charge(u, 10_000)))
    const responses = await Promise.all(
      users.map((u) =>
        api.client.post("/api/v1/orders", {
          headers: u.headers,
          body: { items: [{ productId: product.id, quantity: 1 }] },
        }),
      ),
    )
    const codes = responses.map((r) => (r.status === 201 ? "PLACED" : r.body.meta.errorCode))
    expect(codes.filter((c) => c === "PLACED")).toHaveLength(23)
    expect(codes.filter((c) => c === "OUT_OF_STOCK")).toHaveLength(USERS - 23)
    expect((await api.product(product.id)).stock).toBe(0)
    const balances = await Promise.all(users.map((u) => api.balance(u)))
    expect(balances.reduce((a, b) => a + b, 0)).toBe(USERS * 10_000 - 23 * 1_000)
  })

  it("lets exactly one of 20 concurrent orders use the same coupon", async () => {
    const [user] = users
    const template = await api.createCoupon({ value: 500 })
    const issued = expectSuccess(
      await api.client.post(`/api/v1/coupons/${template.id}/issue`, { headers: user!.headers }),
      201,
    )
    const brand = await api.createBrand()
    const product = await api.createProduct({ brandId: brand.id, price: 1_000, stock: 100 })
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.client.post("/api/v1/orders", {
          headers: user!.headers,
          body: { items: [{ productId: product.id, quantity: 1 }], couponId: issued.id },
        }),
      ),
    )
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1)
    expect(
      responses.filter((r) => r.status === 409).every((r) => r.body.meta.errorCode === "COUPON_ALREADY_USED"),
    ).toBe(true)
    expect((await api.product(product.id)).stock).toBe(99)
  })
})
