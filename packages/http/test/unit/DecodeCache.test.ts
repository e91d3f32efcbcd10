import { Either, Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { cachedDecoder, type Decoder, makeDecoder } from "../../src/routing/Decode.js"
import { PageQuery } from "../../src/routing/Fields.js"

const counting = (decoder: Decoder) => {
  let calls = 0
  const decode: Decoder = (input) => {
    calls++
    return decoder(input)
  }
  return { decode, calls: () => calls }
}

const pageInput = fc.record(
  {
    page: fc.oneof(fc.integer({ min: -5, max: 2_000_000 }).map(String), fc.string({ maxLength: 4 })),
    size: fc.oneof(fc.integer({ min: -5, max: 200 }).map(String), fc.string({ maxLength: 4 })),
  },
  { requiredKeys: [] },
)
const keyOf = (input: object) => `?${new URLSearchParams(input as Record<string, string>).toString()}`

describe("cachedDecoder", () => {
  it("answers exactly what the Schema decoder answers, the first time and when cached", () => {
    const plain = makeDecoder("query", PageQuery)
    const cached = cachedDecoder(makeDecoder("query", PageQuery), 64)
    fc.assert(
      fc.property(fc.array(pageInput, { minLength: 1, maxLength: 30 }), (inputs) => {
        for (const input of [...inputs, ...inputs]) {
          expect(cached(keyOf(input), () => input)).toEqual(plain(input))
        }
      }),
    )
  })

  it("decodes a key once while it is cached, and again after the cache started over", () => {
    const { decode, calls } = counting(makeDecoder("path", Schema.Struct({ id: Schema.NumberFromString })))
    const cached = cachedDecoder(decode, 4)
    for (let round = 0; round < 3; round++) cached("/items/1", () => ({ id: "1" }))
    expect(calls()).toBe(1)
    for (let n = 2; n <= 4; n++) cached(`/items/${n}`, () => ({ id: String(n) }))
    expect(calls()).toBe(4)
    // full: the fifth key starts a new cache, so the first key is decoded again
    expect(cached("/items/5", () => ({ id: "5" }))).toEqual(Either.right({ id: 5 }))
    expect(cached("/items/1", () => ({ id: "1" }))).toEqual(Either.right({ id: 1 }))
    expect(calls()).toBe(6)
  })

  it("does not remember long keys, remembers refusals, and freezes the shared results", () => {
    const { decode, calls } = counting(makeDecoder("query", PageQuery))
    const cached = cachedDecoder(decode)
    const long = `?page=1&x=${"a".repeat(300)}`
    cached(long, () => ({ page: "1" }))
    cached(long, () => ({ page: "1" }))
    expect(calls()).toBe(2)
    const refused = cached("?size=0", () => ({ size: "0" }))
    expect(Either.isLeft(refused) && refused.left.status).toBe(400)
    expect(cached("?size=0", () => ({ size: "0" }))).toBe(refused)
    expect(calls()).toBe(3)
    const decoded = cached("?page=2", () => ({ page: "2" }))
    expect(Either.isRight(decoded) && Object.isFrozen(decoded.right)).toBe(true)
    expect(decoded).toEqual(Either.right({ page: 2, size: 20 }))
  })
})
