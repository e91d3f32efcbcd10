import { acquireRedis } from "@commerce-core/adapters-redis"
import { Effect } from "effect"
import { expect, it } from "vitest"
import {
  describeEngines,
  engineEnvironment,
  redisKeys,
  redisTestUrl,
  startOrThrow,
  useEngineTarget,
} from "../support/EngineServer.js"
import { expectSuccess } from "../support/Http.js"

const withRedis = <A>(f: (client: import("ioredis").Redis) => Promise<A>) =>
  Effect.runPromise(
    Effect.scoped(Effect.flatMap(acquireRedis({ url: redisTestUrl }), (c) => Effect.promise(() => f(c)))),
  )

describeEngines("the coupon gate's ledger on MySQL (MYSQL_URL + REDIS_URL)", { redis: true }, () => {
  const target = useEngineTarget()

  it("after Redis loses the gate's keys, reloads the holders from MySQL before admitting anyone", async () => {
    const api = await startOrThrow(engineEnvironment(target, { redis: true }))
    try {
      const template = await api.createCoupon({ totalQuantity: 3 })
      const holders = await Promise.all([0, 1, 2].map(() => api.signUp()))
      for (const u of holders) {
        expectSuccess(await api.client.post(`/api/v1/coupons/${template.id}/issue`, { headers: u.headers }), 201)
      }
      const gateKeys = (await redisKeys(target)).filter((key) => key.startsWith(`coupon:${template.id}:`))
      expect(gateKeys.length).toBeGreaterThan(0)
      await withRedis((c) => c.del(...gateKeys.map((key) => target.redisPrefix + key)))

      const late = await api.signUp()
      const refused = await api.client.post(`/api/v1/coupons/${template.id}/issue`, { headers: late.headers })
      expect(refused.body?.meta?.errorCode).toBe("COUPON_SOLD_OUT")
      // Without a ledger the gate would have admitted the late user and learned only that
      // the template is sold out; with it, the holders came back from MySQL.
      const members = await withRedis((c) => c.smembers(`${target.redisPrefix}coupon:${template.id}:holders`))
      expect(members.map(Number).sort((a, b) => a - b)).toEqual(holders.map((u) => u.id).sort((a, b) => a - b))
      expect(await redisKeys(target)).toContain(`coupon:${template.id}:loaded`)

      const again = await api.client.post(`/api/v1/coupons/${template.id}/issue`, {
        headers: (holders[0] as { headers: Record<string, string> }).headers,
      })
      expect(again.body?.meta?.errorCode).toBe("COUPON_ALREADY_ISSUED")
    } finally {
      await api.server.close()
    }
  })
})
