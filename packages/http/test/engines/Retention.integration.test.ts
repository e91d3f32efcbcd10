import { expect, it } from "vitest"
import { eventually } from "../support/ApiServer.js"
import {
  countRows,
  describeEngines,
  engineEnvironment,
  pendingOutbox,
  startOrThrow,
  useEngineTarget,
} from "../support/EngineServer.js"
import { expectSuccess } from "../support/Http.js"

describeEngines("retention jobs on MySQL", { redis: false }, () => {
  const target = useEngineTarget()

  it("purges published outbox rows, expired idempotency records and old inbox rows, and nothing else", async () => {
    const api = await startOrThrow(
      { ...engineEnvironment(target, { redis: false }), IDEMPOTENCY_RETAIN_SECONDS: "1" },
      {
        retention: {
          purgeEvery: "200 millis",
          keepPublishedFor: "1 second",
          redeliveryWindow: "200 millis",
          keepHandledFor: "2 seconds",
        },
      },
    )
    try {
      const brand = await api.createBrand("Kept")
      const product = await api.createProduct({ brandId: brand.id })
      for (let i = 0; i < 20; i++) expectSuccess(await api.client.get(`/api/v1/products/${product.id}`))
      const user = await api.signUp()
      expectSuccess(
        await api.client.post("/api/v1/points/charge", {
          headers: { ...user.headers, "idempotency-key": "short-lived" },
          body: { reqPoint: 5_000 },
        }),
      )
      expect(await countRows(target, "idempotency_record")).toBe(1)
      // brand, product, sign-up and charge (the views follow when the tally is flushed)
      expect(await countRows(target, "outbox_event")).toBeGreaterThanOrEqual(4)
      // the views reach the metrics and ranking consumers
      await eventually(async () => expect(await countRows(target, "event_handled")).toBeGreaterThanOrEqual(2), 5_000)

      await eventually(async () => {
        expect(await pendingOutbox(target)).toBe(0)
        expect(await countRows(target, "outbox_event")).toBe(0)
        expect(await countRows(target, "idempotency_record")).toBe(0)
        expect(await countRows(target, "event_handled")).toBe(0)
      }, 15_000)
      // the data the events were about is untouched
      expect((await api.product(product.id)).id).toBe(product.id)
      expect(await api.balance(user)).toBe(5_000)
    } finally {
      await api.server.close()
    }
  })
})
