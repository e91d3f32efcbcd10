import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { sortAscending } from "../src/shared/SortAscending.js"

describe("sortAscending", () => {
  test.prop([fc.array(fc.record({ key: fc.integer({ min: -5, max: 5 }), tag: fc.nat() }), { maxLength: 40 })])(
    "is Array.prototype.sort by key (stable) and leaves its input alone, short or long",
    (items) => {
      const before = [...items]
      expect(sortAscending(items, (item) => item.key)).toEqual([...items].sort((a, b) => a.key - b.key))
      expect(items).toEqual(before)
    },
  )
})
