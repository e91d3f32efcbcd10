import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ApiServer, eventually, startApiServer } from "../support/ApiServer.js"
import { expectFailure, expectSuccess } from "../support/Http.js"

let api: ApiServer
beforeAll(async () => {
  api = await startApiServer()
})
afterAll(() => api.server.close())

describe("rankings and top products over the in-process pipeline", () => {
  it("ranks an ordered product above a liked one and shows the rank on its detail", async () => {
    const user = await api.signUp()
    await api.charge(user, 100_000)
    const brand = await api.createBrand("Ranked")
    const ordered = await api.createProduct({ brandId: brand.id, price: 2_000, name: "ordered" })
    const liked = await api.createProduct({ brandId: brand.id, price: 3_000, name: "liked" })
    expectSuccess(
      await api.client.post("/api/v1/orders", {
        headers: user.headers,
        body: { items: [{ productId: ordered.id, quantity: 1 }] },
      }),
      201,
    )
    await api.client.post(`/api/v1/like/products/${liked.id}`, { headers: user.headers })

    await eventually(async () => {
      const page = expectSuccess(await api.client.get("/api/v1/rankings?size=10"))
      expect(page.items.map((i: { product: { id: number } }) => i.product.id)).toEqual([ordered.id, liked.id])
      expect(page).toMatchObject({ period: "daily", date: expect.stringMatching(/^\d{8}$/), page: 0, size: 10 })
      expect(page.items[0]).toEqual({
        rank: 1,
        score: expect.any(Number),
        product: {
          id: ordered.id,
          name: "ordered",
          price: 2_000,
          brandId: brand.id,
          brandName: "Ranked",
          likeCount: 0,
        },
      })
      expect(page.items[0].score).toBeGreaterThan(page.items[1].score)
    })
    const detail = await api.product(ordered.id)
    expect(detail.currentRank).toBe(1)
    expect(detail.currentScore).toBeGreaterThan(0)

    await eventually(async () => {
      const top = expectSuccess(await api.client.get("/api/v1/products/top?days=1&limit=5"))
      expect(top.items).toEqual([
        { rank: 1, orderCount: 1, product: { id: ordered.id, name: "ordered", price: 2_000, brandId: brand.id } },
      ])
    })
  })

  it("validates period, date and paging", async () => {
    expectFailure(await api.client.get("/api/v1/rankings?period=yearly"), 400, "BAD_REQUEST")
    expectFailure(await api.client.get("/api/v1/rankings?date=2024-01-01"), 400, "BAD_REQUEST")
    expectFailure(await api.client.get("/api/v1/rankings?date=20240230"), 400, "BAD_REQUEST")
    expectFailure(await api.client.get("/api/v1/rankings?size=101"), 400, "BAD_REQUEST")
    expectFailure(await api.client.get("/api/v1/products/top?days=0"), 400, "BAD_REQUEST")
    const weekly = expectSuccess(await api.client.get("/api/v1/rankings?period=weekly&date=20240101"))
    expect(weekly).toMatchObject({ period: "weekly", items: [], totalElements: 0 })
  })
})
