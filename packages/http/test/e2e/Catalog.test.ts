import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ApiServer, eventually, startApiServer } from "../support/ApiServer.js"
import { expectFailure, expectSuccess } from "../support/Http.js"

let api: ApiServer
beforeAll(async () => {
  api = await startApiServer()
})
afterAll(() => api.server.close())

describe("admin catalog", () => {
  it("requires the admin key", async () => {
    expectFailure(
      await api.client.post("/api/admin/v1/brands", { body: { name: "x", description: "" } }),
      401,
      "UNAUTHORIZED",
    )
    expectFailure(
      await api.client.post("/api/admin/v1/brands", {
        body: { name: "x", description: "" },
        headers: { "x-admin-key": "nope" },
      }),
      401,
      "UNAUTHORIZED",
    )
  })

  it("creates, reads, changes and restocks", async () => {
    const brand = await api.createBrand("Acme")
    expect(brand).toEqual({ id: expect.any(Number), name: "Acme", description: "d", isActive: true })
    expect(expectSuccess(await api.client.get(`/api/v1/brands/${brand.id}`))).toEqual(brand)
    const product = await api.createProduct({ brandId: brand.id, price: 12_000, stock: 3, max: 2, name: "Anvil" })
    expect(product).toEqual({
      id: expect.any(Number),
      name: "Anvil",
      description: "desc",
      price: 12_000,
      stock: 3,
      status: "ACTIVE",
      maxOrderQuantity: 2,
      brandId: brand.id,
      brandName: "Acme",
      likeCount: 0,
      currentRank: null,
      currentScore: null,
    })
    const patched = expectSuccess(
      await api.client.patch(`/api/admin/v1/products/${product.id}`, {
        headers: api.admin,
        body: { price: 9_000, name: "Anvil 2" },
      }),
    )
    expect(patched).toMatchObject({ price: 9_000, name: "Anvil 2", stock: 3 })
    const drained = expectSuccess(
      await api.client.post(`/api/admin/v1/products/${product.id}/stock`, { headers: api.admin, body: { delta: -3 } }),
    )
    expect(drained).toMatchObject({ stock: 0, status: "OUT_OF_STOCK" })
    expectFailure(
      await api.client.post(`/api/admin/v1/products/${product.id}/stock`, { headers: api.admin, body: { delta: -1 } }),
      409,
      "OUT_OF_STOCK",
    )
    const inactive = expectSuccess(
      await api.client.patch(`/api/admin/v1/products/${product.id}`, {
        headers: api.admin,
        body: { status: "INACTIVE" },
      }),
    )
    expect(inactive.status).toBe("INACTIVE")
  })

  it("answers unknown brands and products with 404", async () => {
    expectFailure(await api.client.get("/api/v1/brands/999999"), 404, "BRAND_NOT_FOUND")
    expectFailure(await api.client.get("/api/v1/products/999999"), 404, "PRODUCT_NOT_FOUND")
    expectFailure(
      await api.client.post("/api/admin/v1/products", {
        headers: api.admin,
        body: { brandId: 999999, name: "x", description: "", price: 1, stock: 1, maxOrderQuantity: 1 },
      }),
      404,
      "BRAND_NOT_FOUND",
    )
    expectFailure(
      await api.client.patch("/api/admin/v1/products/999999", { headers: api.admin, body: { price: 1 } }),
      404,
      "PRODUCT_NOT_FOUND",
    )
  })
})

describe("product listing", () => {
  it("filters by brand, sorts and pages, hiding inactive products", async () => {
    const brand = await api.createBrand("Lister")
    const cheap = await api.createProduct({ brandId: brand.id, price: 1_000, name: "cheap" })
    const dear = await api.createProduct({ brandId: brand.id, price: 9_000, name: "dear" })
    const hidden = await api.createProduct({ brandId: brand.id, price: 5_000, name: "hidden" })
    await api.client.patch(`/api/admin/v1/products/${hidden.id}`, { headers: api.admin, body: { status: "INACTIVE" } })
    const latest = expectSuccess(await api.client.get(`/api/v1/products?brandId=${brand.id}`))
    expect(latest.items.map((p: { id: number }) => p.id)).toEqual([dear.id, cheap.id])
    expect(latest).toMatchObject({ page: 0, size: 20, totalElements: 2, totalPages: 1, hasNext: false })
    expect(latest.items[0]).toEqual({
      id: dear.id,
      name: "dear",
      price: 9_000,
      brandId: brand.id,
      brandName: "Lister",
      likeCount: 0,
      stock: 100,
    })
    const byPrice = expectSuccess(await api.client.get(`/api/v1/products?brandId=${brand.id}&sort=price_asc&size=1`))
    expect(byPrice.items.map((p: { id: number }) => p.id)).toEqual([cheap.id])
    expect(byPrice.hasNext).toBe(true)
    expectFailure(await api.client.get("/api/v1/products?sort=cheapest"), 400, "BAD_REQUEST")
  })
})

describe("likes", () => {
  it("likes and unlikes idempotently; the count never goes below 0", async () => {
    const user = await api.signUp()
    const brand = await api.createBrand()
    const product = await api.createProduct({ brandId: brand.id })
    const path = `/api/v1/like/products/${product.id}`
    for (let i = 0; i < 2; i++) {
      expect(expectSuccess(await api.client.post(path, { headers: user.headers }))).toEqual({
        productId: product.id,
        liked: true,
      })
    }
    expect((await api.product(product.id)).likeCount).toBe(1)
    const liked = expectSuccess(await api.client.get("/api/v1/like/products", { headers: user.headers }))
    expect(liked.items).toEqual([{ id: product.id, name: "Product", price: 10_000, brandId: brand.id }])
    for (let i = 0; i < 2; i++) {
      expect(expectSuccess(await api.client.delete(path, { headers: user.headers }))).toEqual({
        productId: product.id,
        liked: false,
      })
    }
    expect((await api.product(product.id)).likeCount).toBe(0)
    expectFailure(
      await api.client.post("/api/v1/like/products/999999", { headers: user.headers }),
      404,
      "PRODUCT_NOT_FOUND",
    )
    expectFailure(await api.client.post(path), 401, "UNAUTHORIZED")
  })
})

describe("cart", () => {
  it("adds (merging), sets, removes and totals at current prices", async () => {
    const user = await api.signUp()
    const brand = await api.createBrand()
    const a = await api.createProduct({ brandId: brand.id, price: 1_000, max: 5, name: "a" })
    const b = await api.createProduct({ brandId: brand.id, price: 2_500, max: 5, name: "b" })
    const add = (productId: number, quantity: number) =>
      api.client.post("/api/v1/cart/items", { headers: user.headers, body: { productId, quantity } })
    expectSuccess(await add(a.id, 2))
    const merged = expectSuccess(await add(a.id, 1))
    expect(merged.items).toEqual([{ productId: a.id, name: "a", price: 1_000, quantity: 3 }])
    expectFailure(await add(a.id, 3), 400, "QUANTITY_LIMIT_EXCEEDED")
    const two = expectSuccess(await add(b.id, 2))
    expect(two.totalAmount).toBe(3 * 1_000 + 2 * 2_500)
    const set = expectSuccess(
      await api.client.put(`/api/v1/cart/items/${a.id}`, { headers: user.headers, body: { quantity: 0 } }),
    )
    expect(set.items.map((i: { productId: number }) => i.productId)).toEqual([b.id])
    const removed = expectSuccess(await api.client.delete(`/api/v1/cart/items/${b.id}`, { headers: user.headers }))
    expect(removed).toEqual({ items: [], totalAmount: 0 })
    expect(expectSuccess(await api.client.get("/api/v1/cart", { headers: user.headers }))).toEqual({
      items: [],
      totalAmount: 0,
    })
    expectFailure(await add(999999, 1), 404, "PRODUCT_NOT_FOUND")
    expectFailure(await add(a.id, 0), 400, "BAD_REQUEST")
  })
})

describe("product views", () => {
  const counted: Array<{ productId: number; views: number }> = []
  let viewing: ApiServer
  beforeAll(async () => {
    viewing = await startApiServer({
      consumers: [
        {
          name: "view-recorder",
          handle: (event) =>
            Effect.sync(() => {
              if (event._tag === "ProductViewed") counted.push({ productId: event.productId, views: event.views })
            }),
        },
      ],
    })
  })
  afterAll(() => viewing.server.close())

  it("counts every view, signed in, anonymous or with a forged token, and publishes the tally", async () => {
    const user = await viewing.signUp()
    const brand = await viewing.createBrand()
    const product = await viewing.createProduct({ brandId: brand.id })
    const path = `/api/v1/products/${product.id}`
    expectSuccess(await viewing.client.get(path))
    expectSuccess(await viewing.client.get(path, { headers: user.headers }))
    expectSuccess(await viewing.client.get(path, { headers: { authorization: "Bearer forged.token.value" } }))
    expectFailure(await viewing.client.get("/api/v1/products/999999"), 404, "PRODUCT_NOT_FOUND")
    await eventually(async () => {
      const views = counted.filter((c) => c.productId === product.id).reduce((sum, c) => sum + c.views, 0)
      expect(views).toBe(3)
    })
    expect(counted.every((c) => c.productId === product.id)).toBe(true)
  })
})
