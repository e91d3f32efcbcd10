import type { UserId } from "@commerce-core/domain"
import { Redacted } from "effect"
import { sign } from "hono/jwt"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { issueToken } from "../../src/auth/Tokens.js"
import { expectFailure, expectSuccess } from "../support/Http.js"
import { startInfraServer } from "../support/InfraServer.js"

type Env = Awaited<ReturnType<typeof startInfraServer>>
const user = { id: 7 as UserId, loginId: "seven" }
const body = { amount: 1 }

describe("token mode", () => {
  let env: Env
  beforeAll(async () => {
    env = await startInfraServer()
  })
  afterAll(() => env.server.close())

  const settings = () => ({ secret: env.config.authSecret, ttlSeconds: 600 })

  it("accepts a token it issued and names its user", async () => {
    const { accessToken, expiresAt } = await issueToken(settings(), user, Date.now())
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(590_000)
    const data = expectSuccess(await env.client.post("/api/test/counter", { body, token: accessToken }), 201)
    expect(data.user).toBe(7)
  })

  it("refuses missing, malformed, forged, expired and gateway credentials with 401", async () => {
    const expired = await issueToken(settings(), user, Date.now() - 3_600_000)
    const forged = await issueToken({ secret: Redacted.make("x".repeat(40)), ttlSeconds: 600 }, user, Date.now())
    const now = Math.floor(Date.now() / 1000)
    const noIssuer = await sign(
      { sub: "7", lid: "seven", exp: now + 60 },
      Redacted.value(env.config.authSecret),
      "HS256",
    )
    const badSubject = await sign(
      { sub: "-1", lid: "x", exp: now + 60, iss: "commerce-core" },
      Redacted.value(env.config.authSecret),
      "HS256",
    )
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer" },
      { authorization: "Basic abc" },
      { authorization: "Bearer not.a.jwt" },
      { authorization: `Bearer ${forged.accessToken}` },
      { authorization: `Bearer ${expired.accessToken}` },
      { authorization: `Bearer ${noIssuer}` },
      { authorization: `Bearer ${badSubject}` },
      { "x-user-id": "alice" },
    ]
    for (const headers of attempts) {
      expectFailure(await env.client.post("/api/test/counter", { body, headers }), 401, "UNAUTHORIZED")
    }
  })

  it("stops accepting a token once it expires, even after it was accepted before", async () => {
    const { accessToken } = await issueToken({ secret: env.config.authSecret, ttlSeconds: 1 }, user, Date.now())
    expectSuccess(await env.client.post("/api/test/counter", { body, token: accessToken }), 201)
    await new Promise((resolve) => setTimeout(resolve, 2_100))
    expectFailure(await env.client.post("/api/test/counter", { body, token: accessToken }), 401, "UNAUTHORIZED")
  })

  it("checks the admin key", async () => {
    expectFailure(await env.client.get("/api/test/admin"), 401, "UNAUTHORIZED")
    expectFailure(await env.client.get("/api/test/admin", { headers: { "x-admin-key": "wrong" } }), 401, "UNAUTHORIZED")
    const key = Redacted.value(env.config.adminKey)
    expectFailure(
      await env.client.get("/api/test/admin", { headers: { "x-admin-key": `${key}x` } }),
      401,
      "UNAUTHORIZED",
    )
    expect(expectSuccess(await env.client.get("/api/test/admin", { headers: { "x-admin-key": key } }))).toEqual({
      ok: true,
    })
  })

  it("authenticates before decoding, so an anonymous caller learns nothing about the body", async () => {
    expectFailure(await env.client.post("/api/test/counter", { rawBody: "{bad" }), 401, "UNAUTHORIZED")
  })
})

describe("gateway mode", () => {
  let env: Env
  beforeAll(async () => {
    env = await startInfraServer({ authMode: "gateway" })
  })
  afterAll(() => env.server.close())

  it("trusts X-USER-ID naming a known user", async () => {
    const data = expectSuccess(
      await env.client.post("/api/test/counter", { body, headers: { "x-user-id": "alice" } }),
      201,
    )
    expect(data.user).toBe(1)
  })

  it("looks a known user up once, a stranger on every request (they may sign up next)", async () => {
    env.gatewayLookups.length = 0
    for (let i = 0; i < 5; i++) {
      expectSuccess(await env.client.post("/api/test/counter", { body, headers: { "x-user-id": "alice" } }), 201)
      expectFailure(
        await env.client.post("/api/test/counter", { body, headers: { "x-user-id": "carol" } }),
        401,
        "UNAUTHORIZED",
      )
    }
    expect(env.gatewayLookups.filter((id) => id === "alice").length).toBeLessThanOrEqual(1)
    expect(env.gatewayLookups.filter((id) => id === "carol")).toHaveLength(5)
  })

  it("answers 503 when the user store cannot be asked", async () => {
    expectFailure(
      await env.client.post("/api/test/counter", { body, headers: { "x-user-id": "broken" } }),
      503,
      "SERVICE_UNAVAILABLE",
    )
  })

  it("refuses unknown or missing users, and ignores bearer tokens", async () => {
    const { accessToken } = await issueToken({ secret: env.config.authSecret, ttlSeconds: 600 }, user, Date.now())
    for (const headers of [
      {},
      { "x-user-id": "bob" },
      { "x-user-id": "al ice" },
      { authorization: `Bearer ${accessToken}` },
    ]) {
      expectFailure(await env.client.post("/api/test/counter", { body, headers }), 401, "UNAUTHORIZED")
    }
  })
})
