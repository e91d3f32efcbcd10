import type { UserId } from "@commerce-core/domain"
import { Effect, Ref } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { issueToken } from "../../src/auth/Tokens.js"
import { expectFailure, expectSuccess } from "../support/Http.js"
import { startInfraServer } from "../support/InfraServer.js"

let env: Awaited<ReturnType<typeof startInfraServer>>
let token: string

beforeAll(async () => {
  env = await startInfraServer()
  token = (
    await issueToken(
      { secret: env.config.authSecret, ttlSeconds: 600 },
      { id: 7 as UserId, loginId: "seven" },
      Date.now(),
    )
  ).accessToken
})
afterAll(() => env.server.close())

describe("request decoding", () => {
  it("decodes path ids and paging with defaults", async () => {
    expect(expectSuccess(await env.client.get("/api/test/items/42"))).toEqual({ itemId: 42, page: 0, size: 20 })
    expect(expectSuccess(await env.client.get("/api/test/items/42?page=3&size=100"))).toEqual({
      itemId: 42,
      page: 3,
      size: 100,
    })
  })

  it.each(["abc", "0", "-1", "1.5", "1e3", "0x10", "%20", "99999999999999999999"])(
    "rejects path id %s with 400 naming the field",
    async (id) => {
      const message = expectFailure(await env.client.get(`/api/test/items/${id}`), 400, "BAD_REQUEST")
      expect(message).toMatch(/^itemId: /)
    },
  )

  it.each([
    ["page=-1", "page"],
    ["size=0", "size"],
    ["size=101", "size"],
    ["size=abc", "size"],
    ["page=1.5", "page"],
  ])("rejects query %s with 400 naming %s", async (query, field) => {
    const message = expectFailure(await env.client.get(`/api/test/items/1?${query}`), 400, "BAD_REQUEST")
    expect(message.startsWith(`${field}: `)).toBe(true)
  })

  it("rejects malformed JSON, wrong types, unknown enums and out-of-range numbers before the handler", async () => {
    const post = (options: { body?: unknown; rawBody?: string }) =>
      env.client.post("/api/test/counter", { ...options, token })
    expect(expectFailure(await post({ rawBody: "{not json" }), 400, "BAD_REQUEST")).toBe("body: malformed JSON")
    expect(expectFailure(await post({}), 400, "BAD_REQUEST")).toMatch(/^body: /)
    expect(expectFailure(await post({ body: { amount: "5" } }), 400, "BAD_REQUEST")).toMatch(/^amount: /)
    expect(expectFailure(await post({ body: { amount: 101 } }), 400, "BAD_REQUEST")).toMatch(/^amount: /)
    expect(expectFailure(await post({ body: { amount: 1.5 } }), 400, "BAD_REQUEST")).toMatch(/^amount: /)
    expect(expectFailure(await post({ body: { amount: 5, kind: "C" } }), 400, "BAD_REQUEST")).toMatch(/^kind: /)
    expect(expectFailure(await post({ body: [1, 2] }), 400, "BAD_REQUEST")).toMatch(/^body: /)
    expect(Effect.runSync(Ref.get(env.counter))).toBe(0)
  })

  it("refuses deeply nested JSON with 400 instead of overflowing the decoder", async () => {
    const deep = `${"[".repeat(50_000)}${"]".repeat(50_000)}`
    expect(
      expectFailure(await env.client.post("/api/test/counter", { rawBody: deep, token }), 400, "BAD_REQUEST"),
    ).toBe("body: nested deeper than 32 levels")
    const nested = JSON.stringify({ amount: 1, extra: JSON.parse(`${"[".repeat(31)}${"]".repeat(31)}`) })
    expectSuccess(await env.client.post("/api/test/counter", { rawBody: nested, token }), 201)
    await Effect.runPromise(Ref.set(env.counter, 0))
  })

  it("maps a domain error by its kind and code", async () => {
    const response = await env.client.post("/api/test/counter", { body: { amount: 1, kind: "B" }, token })
    expect(expectFailure(response, 400, "BAD_REQUEST")).toBe("kind: B is refused by the domain")
  })

  it("answers a defect with 500 without internals, and logs it with the request id", async () => {
    const response = await env.client.get("/api/test/defect", { headers: { "x-request-id": "defect-1" } })
    expect(expectFailure(response, 500, "INTERNAL_ERROR")).not.toContain("secret")
    expect(response.headers.get("x-request-id")).toBe("defect-1")
    const lines = env.logs.filter((line) => line.requestId === "defect-1")
    expect(lines.map((line) => line.level)).toEqual(["error", "info"])
    expect(String(lines[0]?.cause)).toContain("secret internals")
  })

  it("refuses an oversized body with 413 before reading it all", async () => {
    const response = await env.client.post("/api/test/counter", {
      rawBody: JSON.stringify({ amount: 1, padding: "x".repeat(300 * 1024) }),
      token,
    })
    expectFailure(response, 413, "PAYLOAD_TOO_LARGE")
    expect(Effect.runSync(Ref.get(env.counter))).toBe(0)
  })

  it("refuses an oversized chunked body (no Content-Length) with 413 too", async () => {
    const chunk = new TextEncoder().encode(`{"amount": 1, "padding": "${"x".repeat(64 * 1024)}`)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (sent++ < 6) controller.enqueue(chunk)
        else {
          controller.enqueue(new TextEncoder().encode('"}'))
          controller.close()
        }
      },
    })
    const response = await fetch(`${env.server.url}/api/test/counter`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body,
      duplex: "half",
    } as RequestInit)
    expect(response.status).toBe(413)
    expect(((await response.json()) as { meta: { errorCode: string } }).meta.errorCode).toBe("PAYLOAD_TOO_LARGE")
    expect(Effect.runSync(Ref.get(env.counter))).toBe(0)
  })

  it("answers unknown routes with a 404 envelope", async () => {
    expectFailure(await env.client.get("/api/v1/nothing-here"), 404, "NOT_FOUND")
  })
})
