import { describe, expect, it } from "vitest"
import { startEmbedded } from "../../src/server/StartEmbedded.js"

// Nothing listens on port 1 of the loopback interface: the connection is refused at once.
const base = { PORT: "0", HOST: "127.0.0.1", SEED_DEMO_DATA: "false", LOG_LEVEL: "off" }

const failureOf = async (env: Record<string, string>) => {
  const result = await startEmbedded({ ...base, ...env }, { logSink: () => {} })
  if (result._tag === "Started") {
    await result.server.close()
    throw new Error("expected the start to fail")
  }
  for (const line of result.lines) {
    expect(line).not.toContain("\n")
    expect(line).not.toMatch(/\bat .*:\d+:\d+/) // no stack frames
  }
  return result
}

describe("npm start with a bad or unreachable engine configuration", () => {
  it("names a malformed MYSQL_URL in one line", async () => {
    const result = await failureOf({ MYSQL_URL: "postgres://localhost/db" })
    expect(result.heading).toBe("Invalid configuration")
    expect(result.lines).toEqual([expect.stringMatching(/^MYSQL_URL: .*mysql:\/\//)])
  })

  it("refuses REDIS_URL without MYSQL_URL", async () => {
    const result = await failureOf({ REDIS_URL: "redis://127.0.0.1:6379" })
    expect(result.heading).toBe("Invalid configuration")
    expect(result.lines).toEqual([expect.stringMatching(/^REDIS_URL: REDIS_URL needs MYSQL_URL/)])
  })

  it("reports an unreachable MySQL in one line and releases everything", async () => {
    const result = await failureOf({ MYSQL_URL: "mysql://root@127.0.0.1:1/commerce" })
    expect(result.heading).toBe("Start-up failed")
    expect(result.lines).toHaveLength(1)
    expect(result.lines[0]).toMatch(/^PersistenceUnavailable: cannot connect to MySQL at 127\.0\.0\.1:1\/commerce/)
  })

  it("reports a malformed REDIS_URL alongside a MYSQL_URL in one line", async () => {
    const result = await failureOf({
      MYSQL_URL: "mysql://root@127.0.0.1:1/commerce",
      REDIS_URL: "http://127.0.0.1:6379",
    })
    expect(result.heading).toBe("Invalid configuration")
    expect(result.lines).toEqual([expect.stringMatching(/^REDIS_URL: .*redis:\/\//)])
  })

  it("combines the HTTP and engine configuration errors", async () => {
    const result = await failureOf({ PORT: "eighty", REDIS_URL: "redis://127.0.0.1:6379" })
    expect(result.heading).toBe("Invalid configuration")
    expect(result.lines).toHaveLength(2)
    expect(result.lines[0]).toMatch(/^PORT: /)
    expect(result.lines[1]).toMatch(/^REDIS_URL: /)
  })
})
