import { type ErrorKind, InvalidInput, PersistenceUnavailable } from "@commerce-core/domain"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { fromCodedError } from "../../src/envelope/ErrorStatus.js"
import { fingerprintOf } from "../../src/idempotency/Idempotency.js"

const statusOf: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  unavailable: 503,
}

describe("error mapping", () => {
  it("maps every kind to its status and keeps code and message (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(statusOf) as Array<ErrorKind>)),
        fc.stringMatching(/^[A-Z][A-Z_]{0,30}$/).filter((code) => code !== "IDEMPOTENCY_KEY_REUSED"),
        fc.string(),
        (kind, code, message) => {
          const response = fromCodedError({ _tag: "X", kind, code, message })
          expect(response).toEqual({
            status: statusOf[kind],
            body: { meta: { result: "FAIL", errorCode: code, message }, data: null },
          })
        },
      ),
    )
  })

  it("answers a reused idempotency key with 422 whatever its kind", () => {
    expect(fromCodedError({ _tag: "X", kind: "conflict", code: "IDEMPOTENCY_KEY_REUSED", message: "m" }).status).toBe(
      422,
    )
  })

  it("maps real domain errors through their code and kind", () => {
    expect(fromCodedError(new InvalidInput({ field: "f", reason: "r" }))).toMatchObject({
      status: 400,
      body: { meta: { errorCode: "BAD_REQUEST", message: "f: r" } },
    })
    expect(fromCodedError(new PersistenceUnavailable({ reason: "down" })).status).toBe(503)
  })
})

describe("request fingerprint", () => {
  const json = fc.jsonValue({ maxDepth: 4 })

  it("ignores key order at every level (property)", () => {
    const reverseKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reverseKeys)
      if (value !== null && typeof value === "object") {
        return Object.fromEntries(
          Object.entries(value as Record<string, unknown>)
            .reverse()
            .map(([k, v]) => [k, reverseKeys(v)]),
        )
      }
      return value
    }
    fc.assert(
      fc.property(json, (body) => {
        expect(fingerprintOf("post", "/api/v1/orders", reverseKeys(body))).toBe(
          fingerprintOf("POST", "/api/v1/orders", body),
        )
      }),
    )
  })

  it("differs for different bodies, paths or methods (property)", () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b))
        const sameShape = (x: unknown) =>
          JSON.stringify(x, (_, v) =>
            v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
          )
        fc.pre(sameShape(a) !== sameShape(b))
        expect(fingerprintOf("POST", "/p", a)).not.toBe(fingerprintOf("POST", "/p", b))
      }),
    )
    expect(fingerprintOf("POST", "/a", { x: 1 })).not.toBe(fingerprintOf("POST", "/b", { x: 1 }))
    expect(fingerprintOf("POST", "/a", { x: 1 })).not.toBe(fingerprintOf("PUT", "/a", { x: 1 }))
    expect(fingerprintOf("POST", "/a", JSON.parse('{"__proto__":{"x":1}}'))).not.toBe(fingerprintOf("POST", "/a", {}))
  })
})
