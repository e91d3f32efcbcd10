import { describe, expect } from "@effect/vitest"
import { test } from "@fast-check/vitest"
import * as fc from "fast-check"
import { completed, inProgress, parseStored } from "../src/idempotency/IdempotencyValue.js"
import { member, pointsOf } from "../src/ranking/BoardEncoding.js"

describe("ranking board encoding", () => {
  test.prop([
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  ])("members sort as strings exactly as product ids sort as numbers", (a, b) => {
    expect(member(a) < member(b)).toBe(a < b)
    expect(Number(member(a))).toBe(a)
  })

  test.prop([fc.integer({ min: -(2 ** 52), max: 2 ** 52 })])(
    "scores are negated points and read back exactly",
    (points) => {
      const score = String(0 - points)
      expect(Object.is(pointsOf(score), points === 0 ? 0 : points)).toBe(true)
    },
  )

  test("a net zero reads back as 0, never -0", () => {
    expect(Object.is(pointsOf("0"), 0)).toBe(true)
    expect(Object.is(pointsOf("-0"), 0)).toBe(true)
  })
})

describe("idempotency value encoding", () => {
  test.prop([fc.string(), fc.string()])("a completed value gives back its fingerprint and result", (fp, result) => {
    expect(parseStored(completed(fp, result))).toEqual({ state: "done", fingerprint: fp, result })
  })

  test.prop([fc.string()])("an in-progress value gives back its fingerprint", (fp) => {
    expect(parseStored(inProgress(fp))).toEqual({ state: "running", fingerprint: fp })
  })

  test.prop([fc.string(), fc.string(), fc.string()])(
    "a completed value never matches another fingerprint",
    (fp, other, result) => {
      fc.pre(fp !== other)
      expect(parseStored(completed(fp, result))?.fingerprint).not.toBe(other)
    },
  )

  test("foreign values are not mistaken for claims", () => {
    expect(parseStored("")).toBeUndefined()
    expect(parseStored("Xabc")).toBeUndefined()
    expect(parseStored("Cxyz")).toBeUndefined()
  })
})
