import { expect, it } from "vitest"
import { type Actor, eventually } from "../support/ApiServer.js"
import {
  describeEngines,
  type EngineServer,
  engineEnvironment,
  pendingOutbox,
  startOrThrow,
  useEngineTarget,
} from "../support/EngineServer.js"
import { expectSuccess } from "../support/Http.js"

const PRICE = 1_000
const CHARGED = 100_000

describeEngines("a restart on the same MySQL database", { redis: false }, () => {
  const target = useEngineTarget()
  const env = { ...engineEnvironment(target, { redis: false }), SEED_DEMO_DATA: "true" }

  const place = (api: EngineServer, actor: Actor, productId: number) =>
    api.client
      .post("/api/v1/orders", { headers: actor.headers, body: { items: [{ productId, quantity: 1 }] } })
      .catch(() => undefined) // a connection the stopping server closed

  const ordersOf = async (api: EngineServer, actor: Actor) =>
    expectSuccess(await api.client.get("/api/v1/orders?size=100", { headers: actor.headers })).items as Array<{
      orderId: number
      status: string
    }>

  it("keeps every order, balance, key and ranking, and seeds the demo data only once", async () => {
    const first = await startOrThrow(env)
    const seeded = expectSuccess(await first.client.get("/api/v1/products?size=1")).totalElements
    expect(seeded).toBe(50)

    const brand = await first.createBrand("Durable")
    const hot = await first.createProduct({ brandId: brand.id, price: PRICE, stock: 60 })
    const users = await Promise.all(Array.from({ length: 8 }, () => first.signUp()))
    await Promise.all(users.map((u) => first.charge(u, CHARGED)))
    const keyed = expectSuccess(
      await first.client.post("/api/v1/points/charge", {
        headers: { ...users[0]!.headers, "idempotency-key": "before-restart" },
        body: { reqPoint: 5_000 },
      }),
    )
    // settled orders before the stop, so the ranking has something durable to show
    for (const u of users.slice(0, 4)) expectSuccess(await place(first, u, hot.id).then((r) => r!), 201)
    await eventually(async () => {
      const page = expectSuccess(await first.client.get("/api/v1/rankings?size=100"))
      expect(page.items.map((i: { product: { id: number } }) => i.product.id)).toContain(hot.id)
    }, 20_000)

    // a stop in the middle of load: 48 orders in flight while the server closes gracefully
    const inFlight = users.flatMap((u) => Array.from({ length: 6 }, () => place(first, u, hot.id)))
    await new Promise((resolve) => setTimeout(resolve, 20))
    await Promise.all([first.server.close(5_000), ...inFlight])

    const second = await startOrThrow(env)
    try {
      expect(expectSuccess(await second.client.get("/api/v1/products?size=1")).totalElements).toBe(seeded + 1)
      // tokens signed before the restart still work (same AUTH_SECRET)
      const perUser = await Promise.all(users.map((u) => ordersOf(second, u)))
      const paid = perUser.flat().filter((o) => o.status === "PAID")
      expect(perUser.flat().every((o) => o.status === "PAID")).toBe(true)
      expect(paid.length).toBeGreaterThanOrEqual(4)
      expect(paid.length).toBeLessThanOrEqual(52)

      const stock = (await second.product(hot.id)).stock as number
      expect(stock).toBe(60 - paid.length)
      expect(stock).toBeGreaterThan(0)
      const balances = await Promise.all(users.map((u) => second.balance(u)))
      expect(balances.reduce((a, b) => a + b, 0)).toBe(users.length * CHARGED + 5_000 - paid.length * PRICE)
      for (const [i, u] of users.entries()) {
        const history = expectSuccess(
          await second.client.get("/api/v1/points/history?size=100", { headers: u.headers }),
        )
        const uses = history.items.filter((e: { type: string }) => e.type === "USE").length
        expect(uses).toBe(perUser[i]!.length)
      }

      const replay = await second.client.post("/api/v1/points/charge", {
        headers: { ...users[0]!.headers, "idempotency-key": "before-restart" },
        body: { reqPoint: 5_000 },
      })
      expect(replay.headers.get("idempotent-replayed")).toBe("true")
      expect(expectSuccess(replay)).toEqual(keyed)

      // whatever the first server left unpublished, the new server's relay drains
      await eventually(async () => expect(await pendingOutbox(target)).toBe(0), 20_000)

      // and the new server sells what is left, never more
      const rest = await Promise.all(users.flatMap((u) => [0, 1, 2, 3, 4].map(() => place(second, u, hot.id))))
      expect(rest.filter((r) => r?.status === 201)).toHaveLength(Math.min(stock, rest.length))
      expect((await second.product(hot.id)).stock).toBe(Math.max(0, stock - rest.length))
    } finally {
      await second.server.close()
    }
  })
})
