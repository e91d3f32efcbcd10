import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { SequenceRows } from "../src/SequenceRows.js"

const key = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 20_000 }) }, // far past the end
  { weight: 1, arbitrary: fc.constantFrom(-1, 2.5, Number.MAX_SAFE_INTEGER) },
)
const op = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("set" as const), key, value: fc.integer() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("delete" as const), key }) },
)

describe("SequenceRows", () => {
  test.prop([fc.array(op, { maxLength: 200 })])("reads, counts and deletes exactly like a Map", (ops) => {
    const rows = new SequenceRows<{ value: number }>()
    const model = new Map<number, { value: number }>()
    for (const step of ops) {
      if (step.kind === "set") {
        const value = { value: step.value }
        rows.set(step.key, value)
        model.set(step.key, value)
      } else {
        expect(rows.delete(step.key)).toBe(model.delete(step.key))
      }
      expect(rows.size).toBe(model.size)
      expect(rows.get(step.key)).toBe(model.get(step.key))
      expect(rows.has(step.key)).toBe(model.has(step.key))
    }
    for (const k of [-1, 0, 1, 2.5, 30, 61, 5_000, 20_001]) expect(rows.get(k)).toBe(model.get(k))
    expect(new Map(rows)).toEqual(model)
    expect([...rows.values()]).toEqual([...rows].map(([, v]) => v))
  })

  test.prop([fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 100 })])(
    "rows whose keys are a sequence iterate in key order",
    (keys) => {
      const rows = new SequenceRows<number>()
      for (const k of keys) rows.set(k, k * 10)
      const distinct = [...new Set(keys)].sort((a, b) => a - b)
      expect([...rows]).toEqual(distinct.map((k) => [k, k * 10]))
    },
  )

  it("keeps no undefined rows (a Map could; SequenceRows uses undefined for a free slot)", () => {
    expect(() => new SequenceRows<undefined>().set(1, undefined)).toThrow(TypeError)
  })
})
