import type { UserId } from "@commerce-core/domain"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { makeTokenCache } from "../../src/auth/TokenCache.js"

const user = (id: number) => ({ id: id as UserId, loginId: `u${id}` })

describe("TokenCache", () => {
  it("returns a token's user until it expires, then forgets it", () => {
    const cache = makeTokenCache()
    cache.set("t", user(1), 1_000)
    expect(cache.get("t", 999)).toEqual(user(1))
    expect(cache.get("t", 1_000)).toBeUndefined()
    expect(cache.get("t", 0)).toBeUndefined()
  })

  it("never holds more than its bound and never answers for a token it was not given (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.nat(100)), { maxLength: 200 }), (writes) => {
        const cache = makeTokenCache(10)
        const latest = new Map<string, number>()
        for (const [token, id] of writes) {
          cache.set(token, user(id), 10_000)
          latest.delete(token)
          latest.set(token, id)
        }
        let held = 0
        for (const [token, id] of latest) {
          const found = cache.get(token, 0)
          if (found !== undefined) {
            held++
            expect(found).toEqual(user(id))
          }
        }
        expect(held).toBeLessThanOrEqual(10)
        expect(cache.get("never-set-token", 0)).toBeUndefined()
      }),
    )
  })
})
