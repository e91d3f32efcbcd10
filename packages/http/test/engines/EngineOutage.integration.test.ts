import { expect, it } from "vitest"
import { startEmbedded } from "../../src/server/StartEmbedded.js"
import { eventually } from "../support/ApiServer.js"
import {
  describeEngines,
  engineEnvironment,
  redisTestUrl,
  startOrThrow,
  useEngineTarget,
} from "../support/EngineServer.js"
import { expectSuccess } from "../support/Http.js"
import { startTcpProxy } from "../support/TcpProxy.js"

const through = (url: string, port: number) => {
  const u = new URL(url)
  u.hostname = "127.0.0.1"
  u.port = String(port)
  return u.toString()
}

describeEngines("engines that become unreachable", { redis: true }, () => {
  const target = useEngineTarget()

  it("/ready names the engine that is down (503) and recovers when it is back", async () => {
    const env = engineEnvironment(target, { redis: true })
    const mysql = new URL(env.MYSQL_URL!)
    const redis = new URL(redisTestUrl)
    const mysqlProxy = await startTcpProxy({ host: mysql.hostname, port: Number(mysql.port || 3306) })
    const redisProxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) })
    const api = await startOrThrow({
      ...env,
      MYSQL_URL: through(env.MYSQL_URL!, mysqlProxy.port()),
      REDIS_URL: through(redisTestUrl, redisProxy.port()),
    })
    try {
      expect((await api.client.get("/ready")).body).toEqual({ status: "UP", checks: { mysql: "UP", redis: "UP" } })

      await redisProxy.cut()
      const redisDown = await api.client.get("/ready")
      expect(redisDown.status).toBe(503)
      expect(redisDown.body).toEqual({ status: "DOWN", checks: { mysql: "UP", redis: "DOWN" } })
      await redisProxy.restore()
      await eventually(async () => expect((await api.client.get("/ready")).status).toBe(200), 15_000)

      await mysqlProxy.cut()
      const mysqlDown = await api.client.get("/ready")
      expect(mysqlDown.status).toBe(503)
      expect(mysqlDown.body).toEqual({ status: "DOWN", checks: { mysql: "DOWN", redis: "UP" } })
      await mysqlProxy.restore()
      await eventually(async () => {
        const ready = await api.client.get("/ready")
        expect(ready.body).toEqual({ status: "UP", checks: { mysql: "UP", redis: "UP" } })
      }, 15_000)
      // and it serves again
      expect(expectSuccess(await api.client.get("/api/v1/products")).totalElements).toBe(0)
    } finally {
      await api.server.close()
      await mysqlProxy.cut()
      await redisProxy.cut()
    }
  })

  it("refuses to start with an unreachable Redis, in one line", async () => {
    const result = await startEmbedded(
      { ...engineEnvironment(target, { redis: true }), REDIS_URL: "redis://127.0.0.1:1" },
      { logSink: () => {} },
    )
    expect(result._tag).toBe("Failed")
    if (result._tag !== "Failed") return
    expect(result.heading).toBe("Start-up failed")
    expect(result.lines).toEqual([
      expect.stringMatching(/^PersistenceUnavailable: redis connect to 127\.0\.0\.1:1: connect ECONNREFUSED/),
    ])
  })
})
