import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { SeoulCalendar } from "../src/index.js"

describe("SeoulCalendar", () => {
  test("the Seoul day starts at 15:00 UTC of the previous day", () => {
    expect(SeoulCalendar.compactDate(Date.parse("2026-11-20T14:59:59.999Z"))).toBe("20261120")
    expect(SeoulCalendar.compactDate(Date.parse("2026-11-20T15:00:00Z"))).toBe("20261121")
    expect(SeoulCalendar.startOfDay("20261121")).toBe(Date.parse("2026-11-20T15:00:00Z"))
  })

  test("addDays crosses months and years", () => {
    expect(SeoulCalendar.addDays("20261231", 1)).toBe("20270101")
    expect(SeoulCalendar.addDays("20240301", -1)).toBe("20240229")
  })

  test("validates real calendar dates only", () => {
    expect(SeoulCalendar.isValidIsoDate("2024-02-29")).toBe(true)
    expect(SeoulCalendar.isValidIsoDate("2023-02-29")).toBe(false)
    expect(SeoulCalendar.isValidIsoDate("2024-2-01")).toBe(false)
    expect(SeoulCalendar.isValidCompactDate("20241301")).toBe(false)
    expect(SeoulCalendar.isValidCompactDate("20241231")).toBe(true)
  })

  test.prop([fc.integer({ min: 0, max: 4_000_000_000_000 })])("an instant lies within its own Seoul day", (t) => {
    const start = SeoulCalendar.startOfDay(SeoulCalendar.compactDate(t))
    expect(start).toBeLessThanOrEqual(t)
    expect(t - start).toBeLessThan(24 * 60 * 60 * 1000)
  })
})
