import { describe, expect, it } from "vitest"
import { startEmbedded } from "../../src/server/StartEmbedded.js"
import { expectSuccess, makeClient } from "../support/Http.js"

const base = { PORT: "0", HOST: "127.0.0.1" }

describe("npm start (startEmbedded)", () => {
  it("serves the seeded demo catalog and prints a generated admin key exactly once", async () => {
    const logs: Array<Record<string, unknown>> = []
    const started = await startEmbedded(base, { logSink: (line) => logs.push(JSON.parse(line)) })
    if (started._tag !== "Started") throw new Error(started.lines.join("\n"))
    try {
      const client = makeClient(started.server.url)
      const products = expectSuccess(await client.get("/api/v1/products?size=1"))
      expect(products.totalElements).toBe(50)
      expect(expectSuccess(await client.get("/api/v1/brands/1")).isActive).toBe(true)
      const printed = logs.filter((l) => typeof l.adminKey === "string")
      expect(printed).toHaveLength(1)
      const adminKey = String(printed[0]?.adminKey)
      const brand = await client.post("/api/admin/v1/brands", {
        headers: { "x-admin-key": adminKey },
        body: { name: "New", description: "" },
      })
      expectSuccess(brand, 201)
      expect(logs.some((l) => l.message === "listening")).toBe(true)
      const signUp = await client.post("/api/v1/users", {
        body: {
          userId: "demo1",
          email: "demo1@x.io",
          gender: "MALE",
          birthDate: "1990-01-01",
          password: "demo-pass-1",
        },
      })
      expectSuccess(signUp, 201)
    } finally {
      await started.server.close()
    }
    expect(logs.filter((l) => typeof l.adminKey === "string")).toHaveLength(1)
  }, 30_000)

  it("never prints a configured admin key", async () => {
    const lines: Array<string> = []
    const adminKey = "configured-admin-key-123"
    const started = await startEmbedded(
      { ...base, ADMIN_KEY: adminKey, SEED_DEMO_DATA: "false" },
      { logSink: (line) => lines.push(line) },
    )
    if (started._tag !== "Started") throw new Error(started.lines.join("\n"))
    await started.server.close()
    expect(lines.some((line) => line.includes(adminKey))).toBe(false)
  }, 30_000)

  it("refuses to start with one line per bad variable", async () => {
    const result = await startEmbedded({ PORT: "x", AUTH_MODE: "none", ADMIN_KEY: "short" })
    expect(result._tag).toBe("Failed")
    if (result._tag !== "Failed") return
    expect(result.heading).toBe("Invalid configuration")
    for (const name of ["PORT", "AUTH_MODE", "ADMIN_KEY"]) {
      expect(result.lines.filter((line) => line.startsWith(`${name}: `))).toHaveLength(1)
    }
  })

  it("reports bad variables that the layers read, too", async () => {
    const result = await startEmbedded({ ...base, POINT_MIN_CHARGE: "abc" })
    expect(result).toMatchObject({ _tag: "Failed", heading: "Start-up failed" })
    if (result._tag !== "Failed") return
    expect(result.lines).toEqual([expect.stringMatching(/^POINT_MIN_CHARGE: /)])
  })
})
