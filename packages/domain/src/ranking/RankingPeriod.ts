import { Schema } from "effect"
import { DAY_MS } from "../shared/SeoulCalendar.js"
import { addBusinessDays, type BusinessDate } from "./BusinessDate.js"

export const RankingPeriod = Schema.Literal("daily", "weekly", "monthly")
export type RankingPeriod = typeof RankingPeriod.Type

/** Periods whose boards are materialised from daily metrics by a batch job. */
export const MaterialisedPeriod = Schema.Literal("weekly", "monthly")
export type MaterialisedPeriod = typeof MaterialisedPeriod.Type

/** The days a board covers and the key it is stored under. */
export interface PeriodSpan {
  readonly period: RankingPeriod
  /** `yyyyMMdd` (daily), `yyyy-Www` (ISO week, e.g. 2026-W47) or `yyyyMM` (monthly). */
  readonly key: string
  readonly from: BusinessDate
  readonly to: BusinessDate
}

const calendarParts = (date: BusinessDate) => ({
  year: Number(date.slice(0, 4)),
  month: Number(date.slice(4, 6)),
  day: Number(date.slice(6, 8)),
})

const utcDay = (date: BusinessDate) => {
  const { year, month, day } = calendarParts(date)
  return new Date(Date.UTC(year, month - 1, day))
}

/** 1 = Monday .. 7 = Sunday. */
const isoWeekday = (date: BusinessDate) => {
  const weekday = utcDay(date).getUTCDay()
  return weekday === 0 ? 7 : weekday
}

/**
 * ISO 8601 week: weeks start on Monday and belong to the year of their Thursday, so
 * 2027-01-01 (a Friday) is in 2026-W53 and 2024-12-30 (a Monday) in 2025-W01.
 */
export const isoWeekOf = (date: BusinessDate): { readonly year: number; readonly week: number } => {
  const thursday = utcDay(addBusinessDays(date, 4 - isoWeekday(date)))
  const year = thursday.getUTCFullYear()
  const dayOfYear = Math.round((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS)
  return { year, week: Math.floor(dayOfYear / 7) + 1 }
}

export const isoWeekKey = (date: BusinessDate): string => {
  const { year, week } = isoWeekOf(date)
  return `${String(year).padStart(4, "0")}-W${String(week).padStart(2, "0")}`
}

export const monthKey = (date: BusinessDate): string => date.slice(0, 6)

/** The span of the given period that contains `date`. */
export const periodSpanOf = (period: RankingPeriod, date: BusinessDate): PeriodSpan => {
  switch (period) {
    case "daily":
      return { period, key: date, from: date, to: date }
    case "weekly": {
      const from = addBusinessDays(date, 1 - isoWeekday(date))
      return { period, key: isoWeekKey(date), from, to: addBusinessDays(from, 6) }
    }
    case "monthly": {
      const { year, month } = calendarParts(date)
      const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate()
      const prefix = monthKey(date)
      return {
        period,
        key: prefix,
        from: `${prefix}01` as BusinessDate,
        to: `${prefix}${String(lastDay).padStart(2, "0")}` as BusinessDate,
      }
    }
  }
}
