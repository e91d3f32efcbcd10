import type { UserId } from "@commerce-core/domain"
import { Effect, Ref } from "effect"
import * as fc from "fast-check"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { issueToken } from "../../src/auth/Tokens.js"
import { expectFailure, expectSuccess } from "../support/Http.js"
import { startInfraServer } from "../support/InfraServer.js"

let env: Awaited<ReturnType<typeof startInfraServer>>
let alice: string
let bob: string
const total = () => Effect.runSync(Ref.get(env.counter))
let keySeq = 0
const freshKey = () => `key-${Date.now()}-${keySeq++}`

beforeAll(async () => {
  env = await startInfraServer()
  const settings = { secret: env.config.authSecret, ttlSeconds: 600 }
  alice = (await issueToken(settings, { id: 1 as UserId, loginId: "alice" }, Date.now())).accessToken
  bob = (await issueToken(settings, { id: 2 as UserId, loginId: "bob" }, Date.now())).accessToken
})
afterAll(() => env.server.close())
beforeEach(() => Effect.runSync(Ref.set(env.counter, 0)))

const post = (token: string, body: unknown, key?: string) =>
  env.client.post("/api/test/counter", { body, token, headers: key === undefined ? {} : { "idempotency-key": key } })

describe("Idempotency-Key", () => {
  it("runs the first request once and replays its result for the same key and body", async () => {
    const key = freshKey()
    const first = await post(alice, { amount: 5 }, key)
    const second = await post(alice, { amount: 5 }, key)
    expect(expectSuccess(first, 201)).toEqual({ total: 5, user: 1 })
    expect(expectSuccess(second, 201)).toEqual({ total: 5, user: 1 })
    expect(first.headers.get("idempotent-replayed")).toBeNull()
    expect(second.headers.get("idempotent-replayed")).toBe("true")
    expect(total()).toBe(5)
  })

  it("without a key every request runs", async () => {
    await post(alice, { amount: 5 })
    await post(alice, { amount: 5 })
    expect(total()).toBe(10)
  })

  it("answers 422 for the same key with a different body, and changes nothing", async () => {
    const key = freshKey()
    await post(alice, { amount: 5 }, key)
    expectFailure(await post(alice, { amount: 6 }, key), 422, "IDEMPOTENCY_KEY_REUSED")
    expect(total()).toBe(5)
  })

  it("keeps keys per user", async () => {
    const key = freshKey()
    expect(expectSuccess(await post(alice, { amount: 5 }, key), 201).user).toBe(1)
    expect(expectSuccess(await post(bob, { amount: 5 }, key), 201).user).toBe(2)
    expect(total()).toBe(10)
  })

  it("answers 409 while the first request still runs", async () => {
    const key = freshKey()
    // generous margins: the first request must hold the key before the second arrives, even on a busy machine
    const first = post(alice, { amount: 5, delayMillis: 1_500 }, key)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expectFailure(await post(alice, { amount: 5, delayMillis: 1_500 }, key), 409, "IDEMPOTENCY_IN_PROGRESS")
    expectSuccess(await first, 201)
    expect(total()).toBe(5)
  })

  it("replays a domain failure too, since retrying it cannot help", async () => {
    const key = freshKey()
    expectFailure(await post(alice, { amount: 5, kind: "B" }, key), 400, "BAD_REQUEST")
    const again = await post(alice, { amount: 5, kind: "B" }, key)
    expectFailure(again, 400, "BAD_REQUEST")
    expect(again.headers.get("idempotent-replayed")).toBe("true")
  })

  it("rejects an unusable key with 400 before running anything", async () => {
    expectFailure(await post(alice, { amount: 5 }, "x".repeat(201)), 400, "BAD_REQUEST")
    expect(total()).toBe(0)
  })

  it("of 100 concurrent requests with one key exactly one runs", async () => {
    const key = freshKey()
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => post(alice, { amount: 3, delayMillis: 50 }, key)),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true)
    const fresh = responses.filter((r) => r.status === 201 && r.headers.get("idempotent-replayed") === null)
    expect(fresh).toHaveLength(1)
    expect(total()).toBe(3)
  })

  it("treats bodies that differ only in key order and spacing as the same request (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 100 }),
        fc.constantFrom("A" as const),
        fc.boolean(),
        async (amount, kind, reorder) => {
          const key = freshKey()
          const before = total()
          await post(alice, { amount, kind }, key)
          const raw = reorder ? `{ "kind" : "${kind}",\n "amount": ${amount} }` : JSON.stringify({ amount, kind })
          const replay = await env.client.post("/api/test/counter", {
            rawBody: raw,
            token: alice,
            headers: { "idempotency-key": key },
          })
          expect(replay.headers.get("idempotent-replayed")).toBe("true")
          expect(total()).toBe(before + amount)
        },
      ),
      { numRuns: 25 },
    )
  })
})
