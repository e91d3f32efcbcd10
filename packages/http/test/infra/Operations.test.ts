import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { loadHttpConfig } from "../../src/config/HttpConfig.js"
import { expectSuccess } from "../support/Http.js"
import { startInfraServer } from "../support/InfraServer.js"

describe("operations endpoints", () => {
  let env: Awaited<ReturnType<typeof startInfraServer>>
  beforeAll(async () => {
    env = await startInfraServer()
  })
  afterAll(() => env.server.close())

  it("/health and /ready answer without the envelope", async () => {
    expect(await env.client.get("/health")).toMatchObject({ status: 200, body: { status: "UP" } })
    expect(await env.client.get("/ready")).toMatchObject({ status: 200, body: { status: "UP" } })
  })

  it("/metrics counts requests by route and status, with a latency histogram", async () => {
    await env.client.get("/api/test/items/5")
    await env.client.get("/api/test/items/abc")
    const text = String((await env.client.get("/metrics")).body)
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/test\/items\/\{itemId\}",status="200"\} [1-9]/,
    )
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/test\/items\/\{itemId\}",status="400"\} [1-9]/,
    )
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/test/items/{itemId}"}',
    )
    expect(text).toContain("orders_placed_total")
    expect(text).toContain("payments_total")
  })

  it("/openapi.json is OpenAPI 3.1 generated from the request schemas", async () => {
    const doc = (await env.client.get("/openapi.json")).body
    expect(doc.openapi).toBe("3.1.0")
    const op = doc.paths["/api/test/items/{itemId}"].get
    expect(op.parameters).toEqual([
      expect.objectContaining({ name: "itemId", in: "path", required: true }),
      expect.objectContaining({ name: "page", in: "query", required: false }),
      expect.objectContaining({ name: "size", in: "query", required: false }),
    ])
    expect(op.parameters[2].schema).toMatchObject({ $ref: "#/components/schemas/Int", minimum: 1, maximum: 100 })
    expect(doc.components.schemas.Int).toMatchObject({ type: "integer" })
    const post = doc.paths["/api/test/counter"].post
    const body = JSON.stringify(post.requestBody.content["application/json"].schema)
    expect(body).toContain('"amount"')
    expect(body).toContain('"enum":["A","B"]')
    // refinements of the request schema are documented, not only its shape
    expect(post.requestBody.content["application/json"].schema.properties.amount).toMatchObject({
      $ref: "#/components/schemas/Int",
      minimum: 1,
      maximum: 100,
    })
    expect(post.responses["201"]).toBeDefined()
    expect(post.responses["422"]).toBeDefined()
    expect(post.parameters).toContainEqual(expect.objectContaining({ name: "Idempotency-Key", in: "header" }))
  })

  it("/docs serves Swagger UI pointing at the document", async () => {
    const response = await env.client.get("/docs")
    expect(response.status).toBe(200)
    expect(String(response.body)).toContain("/openapi.json")
  })

  it("writes JSON log lines carrying the request id, echoed in X-Request-Id", async () => {
    const response = await env.client.get("/api/test/items/9", { headers: { "x-request-id": "trace-abc" } })
    expect(response.headers.get("x-request-id")).toBe("trace-abc")
    const generated = await env.client.get("/api/test/items/9")
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
    const line = env.logs.find((l) => l.requestId === "trace-abc")
    expect(line).toMatchObject({ level: "info", message: "request", status: 200, route: "/api/test/items/{itemId}" })
    expect(env.logs.every((l) => typeof l.time === "string" && typeof l.level === "string")).toBe(true)
  })
})

describe("request ids on every kind of response", () => {
  it("echoes X-Request-Id on unknown routes, refusals and Swagger UI alike", async () => {
    const env = await startInfraServer()
    const paths = ["/no/such/route", "/api/test/items/abc", "/docs", "/health"]
    for (const [n, path] of paths.entries()) {
      const response = await env.client.get(path, { headers: { "x-request-id": `kind-${n}` } })
      expect(response.headers.get("x-request-id")).toBe(`kind-${n}`)
    }
    await env.server.close()
  })
})

describe("graceful shutdown", () => {
  it("finishes requests in flight, reports draining and then stops listening", async () => {
    const env = await startInfraServer()
    const { issueToken } = await import("../../src/auth/Tokens.js")
    const token = (
      await issueToken({ secret: env.config.authSecret, ttlSeconds: 60 }, { id: 1 as never, loginId: "a" }, Date.now())
    ).accessToken
    const inFlight = env.client.post("/api/test/counter", { body: { amount: 2, delayMillis: 1_500 }, token })
    await new Promise((resolve) => setTimeout(resolve, 500))
    const closing = env.server.close(5_000)
    expectSuccess(await inFlight, 201)
    await closing
    await expect(env.client.get("/health")).rejects.toThrow()
  })
})

describe("configuration", () => {
  const load = (env: Record<string, string>) => Effect.runSync(loadHttpConfig(env))

  it("has working defaults and generates missing secrets", () => {
    const config = Either.getOrThrow(load({}))
    expect(config).toMatchObject({ port: 8080, authMode: "token", adminKeyGenerated: true, authSecretGenerated: true })
  })

  it("reads valid values", () => {
    const config = Either.getOrThrow(
      load({ PORT: "9090", AUTH_MODE: "gateway", ADMIN_KEY: "k".repeat(20), AUTH_SECRET: "s".repeat(40) }),
    )
    expect(config).toMatchObject({
      port: 9090,
      authMode: "gateway",
      adminKeyGenerated: false,
      authSecretGenerated: false,
    })
  })

  it("names every bad variable with its own message", () => {
    const result = load({ PORT: "eighty", AUTH_MODE: "magic", ADMIN_KEY: "short", TOKEN_TTL_SECONDS: "5" })
    expect(Either.isLeft(result)).toBe(true)
    const lines = Either.isLeft(result) ? result.left : []
    for (const name of ["PORT", "AUTH_MODE", "ADMIN_KEY", "TOKEN_TTL_SECONDS"]) {
      expect(lines.some((line) => line.startsWith(`${name}: `))).toBe(true)
    }
  })
})
