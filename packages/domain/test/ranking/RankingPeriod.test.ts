import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { addBusinessDays, BusinessDate, businessDaysBetween } from "../../src/ranking/BusinessDate.js"
import { isoWeekKey, isoWeekOf, monthKey, periodSpanOf } from "../../src/ranking/RankingPeriod.js"

const date = (s: string) => BusinessDate.make(s)

/** Every real date from 1900 to 2199 as yyyyMMdd. */
const dateArb = fc
  .integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2199, 11, 31) / 86_400_000 })
  .map((days) => BusinessDate.make(new Date(days * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "")))

/** Independent ISO week: week 1 is the one holding January 4th; count Mondays from its Monday. */
const referenceIsoWeek = (d: BusinessDate) => {
  const t = Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)))
  const mondayOf = (ms: number) => ms - ((new Date(ms).getUTCDay() + 6) % 7) * 86_400_000
  const monday = mondayOf(t)
  for (const year of [
    new Date(t).getUTCFullYear() + 1,
    new Date(t).getUTCFullYear(),
    new Date(t).getUTCFullYear() - 1,
  ]) {
    const firstMonday = mondayOf(Date.UTC(year, 0, 4))
    if (monday >= firstMonday) return { year, week: (monday - firstMonday) / (7 * 86_400_000) + 1 }
  }
  throw new Error("unreachable")
}

describe("RankingPeriod", () => {
  it("ISO week keys around year boundaries", () => {
    expect(isoWeekKey(date("20261121"))).toBe("2026-W47")
    expect(isoWeekKey(date("20201231"))).toBe("2020-W53")
    expect(isoWeekKey(date("20210103"))).toBe("2020-W53")
    expect(isoWeekKey(date("20210104"))).toBe("2021-W01")
    expect(isoWeekKey(date("20241229"))).toBe("2024-W52")
    expect(isoWeekKey(date("20241230"))).toBe("2025-W01")
    expect(isoWeekKey(date("20260101"))).toBe("2026-W01")
    expect(isoWeekKey(date("20261231"))).toBe("2026-W53")
    expect(isoWeekKey(date("20270101"))).toBe("2026-W53")
    expect(isoWeekKey(date("20270104"))).toBe("2027-W01")
  })

  it("ISO weeks agree with an independent computation (property)", () =>
    fc.assert(
      fc.property(dateArb, (d) => {
        expect(isoWeekOf(d)).toEqual(referenceIsoWeek(d))
      }),
      { numRuns: 2_000 },
    ))

  it("a week span runs Monday to Sunday, holds the date, and all its days share the key", () =>
    fc.assert(
      fc.property(dateArb, (d) => {
        const span = periodSpanOf("weekly", d)
        expect(new Date(`${span.from.slice(0, 4)}-${span.from.slice(4, 6)}-${span.from.slice(6)}`).getUTCDay()).toBe(1)
        expect(span.to).toBe(addBusinessDays(span.from, 6))
        expect(span.from <= d && d <= span.to).toBe(true)
        for (const day of businessDaysBetween(span.from, span.to)) expect(isoWeekKey(day)).toBe(span.key)
        expect(isoWeekKey(addBusinessDays(span.from, -1))).not.toBe(span.key)
        expect(isoWeekKey(addBusinessDays(span.to, 1))).not.toBe(span.key)
      }),
    ))

  it("a month span runs from the 1st to the last day of the month", () => {
    expect(periodSpanOf("monthly", date("20240215"))).toEqual({
      period: "monthly",
      key: "202402",
      from: "20240201",
      to: "20240229",
    })
    fc.assert(
      fc.property(dateArb, (d) => {
        const span = periodSpanOf("monthly", d)
        expect(span.key).toBe(monthKey(d))
        expect(span.from.endsWith("01")).toBe(true)
        expect(span.from <= d && d <= span.to).toBe(true)
        expect(monthKey(span.to)).toBe(span.key)
        expect(addBusinessDays(span.to, 1).endsWith("01")).toBe(true)
        expect(monthKey(addBusinessDays(span.to, 1))).not.toBe(span.key)
      }),
    )
  })

  it("a daily span is the day itself", () => {
    expect(periodSpanOf("daily", date("20261121"))).toEqual({
      period: "daily",
      key: "20261121",
      from: "20261121",
      to: "20261121",
    })
  })
})
