import { Arbitrary, SchemaAST as AST, Either, FastCheck as fc, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { apiRoutes } from "../../src/app/ApiRoutes.js"
import { makeHttpMetrics } from "../../src/observability/HttpMetrics.js"
import type { Route } from "../../src/routing/Route.js"
import { type Actor, type ApiServer, eventually, startApiServer } from "../support/ApiServer.js"
import { expectFailure, expectSuccess } from "../support/Http.js"

/**
 * For every route of the API: bodies, query strings and path ids that its own schemas reject
 * are answered 400 BAD_REQUEST in the envelope, and nothing observable changes. Effect's
 * bundled fast-check is used because the valid starting points come from the same schemas.
 */
let api: ApiServer
let user: Actor
let routes: ReadonlyArray<Route<unknown>>
const ids: Record<string, number> = {}

beforeAll(async () => {
  api = await startApiServer()
  routes = apiRoutes({ config: api.config, metrics: makeHttpMetrics({ defaultMetrics: false }) }) as never
  user = await api.signUp()
  await api.charge(user, 100_000)
  const brand = await api.createBrand()
  const product = await api.createProduct({ brandId: brand.id, stock: 50 })
  const coupon = await api.createCoupon()
  await api.client.post("/api/v1/cart/items", { headers: user.headers, body: { productId: product.id, quantity: 1 } })
  const order = expectSuccess(
    await api.client.post("/api/v1/orders", {
      headers: user.headers,
      body: { items: [{ productId: product.id, quantity: 1 }] },
    }),
    201,
  )
  // The order's events reach the rankings in the background; settle them so that the
  // snapshots compare only what a rejected request could have changed.
  await eventually(async () => {
    const board = expectSuccess(await api.client.get("/api/v1/rankings?size=100")) as {
      items: ReadonlyArray<{ product: { id: number } }>
    }
    expect(board.items.map((entry) => entry.product.id)).toContain(product.id)
  })
  Object.assign(ids, {
    brandId: brand.id,
    productId: product.id,
    id: product.id,
    couponId: coupon.id,
    orderId: order.orderId,
  })
}, 30_000)
afterAll(() => api.server.close())

/** Everything a request could have changed, read through endpoints that change nothing. */
const snapshot = async () => {
  const get = async (path: string, headers: Record<string, string> = user.headers) =>
    (await api.client.get(path, { headers })).body
  return JSON.stringify([
    await get("/api/v1/points"),
    await get("/api/v1/points/history?size=100"),
    await get("/api/v1/cart"),
    await get("/api/v1/orders?size=100"),
    await get(`/api/v1/orders/${ids.orderId}`),
    await get("/api/v1/coupons"),
    await get("/api/v1/like/products?size=100"),
    await get("/api/v1/products?size=100"),
    await get(`/api/v1/brands/${ids.brandId}`),
    await get("/api/v1/rankings?size=100"),
  ])
}

const pathOf = (route: Route<unknown>, override?: { name: string; value: string }) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    override?.name === name ? encodeURIComponent(override.value) : String(ids[name] ?? 1),
  )

const headersOf = (route: Route<unknown>): Record<string, string> =>
  route.access === "admin" ? api.admin : route.access === "user" ? user.headers : {}

const wrongValues: ReadonlyArray<unknown> = [
  null,
  true,
  "",
  "text",
  "12",
  -1,
  0,
  1.5,
  1e20,
  Number.MAX_SAFE_INTEGER + 2,
  [],
  {},
  [1],
  "UNKNOWN_ENUM",
  "🙂",
]
const wrongTexts = ["", "-1", "0", "abc", "1.5", "1e3", "0x10", "99999999999999999999", "UNKNOWN", "🙂", "2024-01-01"]

const propertyNames = (schema: Schema.Schema.AnyNoContext) =>
  AST.getPropertySignatures(AST.encodedAST(schema.ast)).map((ps) => String(ps.name))

const rejects = (schema: Schema.Schema.AnyNoContext) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (value: unknown) => Either.isLeft(decode(value))
}

/** 400 BAD_REQUEST in the envelope, naming `field` when given, and no observable change. */
const expectBadRequestAndNoChange = async (send: () => Promise<{ status: number; body: unknown }>, field?: string) => {
  const before = await snapshot()
  const response = await send()
  const message = expectFailure(response as never, 400, "BAD_REQUEST")
  if (field !== undefined) expect(message).toMatch(new RegExp(`^${field}([.[][^:]*)?: `))
  expect(await snapshot()).toBe(before)
}

describe("invalid input on every route", () => {
  it("covers every route of the contract", () => {
    expect(routes.length).toBeGreaterThanOrEqual(30)
  })

  it("rejects bodies the route's schema rejects", async () => {
    const withBody = routes.filter((r) => r.body !== undefined)
    expect(withBody.length).toBeGreaterThanOrEqual(12)
    for (const route of withBody) {
      const body = route.body!
      const valid = Arbitrary.make(body).map((value) => Schema.encodeSync(body)(value) as Record<string, unknown>)
      const fields = propertyNames(body)
      // a valid body with one field broken or removed: the answer must name that field
      const mutated = fc.oneof(
        fc
          .tuple(valid, fc.constantFrom(...fields), fc.constantFrom(...wrongValues))
          .map(([base, field, wrong]) => ({ candidate: { ...base, [field]: wrong } as unknown, field })),
        fc.tuple(valid, fc.constantFrom(...fields)).map(([base, field]) => {
          const copy = { ...base }
          delete copy[field]
          return { candidate: copy as unknown, field }
        }),
        fc.constantFrom<unknown>(null, 42, "body", [], [{}]).map((candidate) => ({ candidate, field: "body" })),
      )
      const isRejected = rejects(body)
      await fc.assert(
        fc.asyncProperty(
          mutated.filter(({ candidate }) => isRejected(candidate)),
          async ({ candidate, field }) => {
            await expectBadRequestAndNoChange(
              () =>
                api.client.request(route.method.toUpperCase(), pathOf(route), {
                  headers: headersOf(route),
                  body: candidate,
                }),
              field,
            )
          },
        ),
        { numRuns: 8 },
      )
      await expectBadRequestAndNoChange(() =>
        api.client.request(route.method.toUpperCase(), pathOf(route), { headers: headersOf(route), rawBody: '{"a":' }),
      )
    }
  }, 120_000)

  it("rejects query strings the route's schema rejects", async () => {
    const withQuery = routes.filter((r) => r.query !== undefined)
    expect(withQuery.length).toBeGreaterThanOrEqual(7)
    for (const route of withQuery) {
      const query = route.query!
      const isRejected = rejects(query)
      await fc.assert(
        fc.asyncProperty(
          fc
            .tuple(fc.constantFrom(...propertyNames(query)), fc.constantFrom(...wrongTexts))
            .filter(([name, value]) => isRejected({ [name]: value })),
          async ([name, value]) => {
            const search = new URLSearchParams({ [name]: value }).toString()
            await expectBadRequestAndNoChange(
              () =>
                api.client.request(route.method.toUpperCase(), `${pathOf(route)}?${search}`, {
                  headers: headersOf(route),
                }),
              name,
            )
          },
        ),
        { numRuns: 6 },
      )
    }
  }, 120_000)

  it("rejects path ids the route's schema rejects", async () => {
    const withParams = routes.filter((r) => r.params !== undefined)
    expect(withParams.length).toBeGreaterThanOrEqual(12)
    for (const route of withParams) {
      const params = route.params!
      const isRejected = rejects(params)
      const names = propertyNames(params)
      await fc.assert(
        fc.asyncProperty(
          fc
            .tuple(fc.constantFrom(...names), fc.constantFrom(...wrongTexts.filter((t) => t !== "")))
            .filter(([name, value]) =>
              isRejected({ ...Object.fromEntries(names.map((n) => [n, "1"])), [name]: value }),
            ),
          async ([name, value]) => {
            await expectBadRequestAndNoChange(
              () =>
                api.client.request(route.method.toUpperCase(), pathOf(route, { name, value }), {
                  headers: headersOf(route),
                  ...(route.body ? { body: {} } : {}),
                }),
              name,
            )
          },
        ),
        { numRuns: 5 },
      )
    }
  }, 120_000)
})
