import { expect, it } from "vitest"
import { eventually } from "../support/ApiServer.js"
import { describeEngines, engineEnvironment, startOrThrow, useEngineTarget } from "../support/EngineServer.js"
import { expectSuccess } from "../support/Http.js"

describeEngines("periodic jobs on MySQL", { redis: true }, () => {
  const target = useEngineTarget()

  it("materialises the weekly and monthly boards from the day's metrics", async () => {
    const api = await startOrThrow(engineEnvironment(target, { redis: true }), {
      jobs: { reconcileEvery: "10 seconds", reconcileOlderThan: "30 seconds", rebuildPeriodsEvery: "300 millis" },
    })
    try {
      const brand = await api.createBrand("Periodic")
      const product = await api.createProduct({ brandId: brand.id, price: 1_000 })
      const user = await api.signUp()
      await api.charge(user, 10_000)
      const boardIds = async (period: string) =>
        expectSuccess(await api.client.get(`/api/v1/rankings?period=${period}&size=100`)).items.map(
          (i: { product: { id: number } }) => i.product.id,
        )
      expect(await boardIds("weekly")).toEqual([])
      // past the jobs' first run (1 s after the start): only a repeated rebuild can show the order
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      expectSuccess(
        await api.client.post("/api/v1/orders", {
          headers: user.headers,
          body: { items: [{ productId: product.id, quantity: 2 }] },
        }),
        201,
      )
      await eventually(async () => {
        expect(await boardIds("weekly")).toEqual([product.id])
        expect(await boardIds("monthly")).toEqual([product.id])
      }, 20_000)
    } finally {
      await api.server.close()
    }
  })
})
