import { Schema } from "effect"
import * as SeoulCalendar from "../shared/SeoulCalendar.js"
import { type BusinessDate, businessDateOf, businessDaysBetween } from "./BusinessDate.js"

const HOUR_MS = 60 * 60 * 1000
const hourPattern = /^(\d{8})([01]\d|2[0-3])$/

/** A Seoul calendar hour written `yyyyMMddHH` (00..23): the key of hourly order buckets. */
export const BusinessHour = Schema.String.pipe(
  Schema.filter(
    (s) => {
      const m = hourPattern.exec(s)
      return m !== null && SeoulCalendar.isValidCompactDate(m[1] as string)
    },
    { message: () => "expected a real Seoul hour written yyyyMMddHH" },
  ),
  Schema.brand("BusinessHour"),
)
export type BusinessHour = typeof BusinessHour.Type

const pad2 = (n: number) => String(n).padStart(2, "0")

/** The Seoul hour containing the instant (an event's `occurredAt`). */
export const businessHourOf = (instant: Date | number): BusinessHour => {
  const millis = typeof instant === "number" ? instant : instant.getTime()
  const date = businessDateOf(millis)
  const hour = Math.floor((millis - SeoulCalendar.startOfDay(date)) / HOUR_MS)
  return `${date}${pad2(hour)}` as BusinessHour
}

/** The 24 hours of a Seoul day, in order (Seoul keeps no daylight saving time). */
export const hoursOfDay = (date: BusinessDate): ReadonlyArray<BusinessHour> =>
  Array.from({ length: 24 }, (_, hour) => `${date}${pad2(hour)}` as BusinessHour)

/** Every hour of the days from `from` to `to`, both included, in order: 24 per day. */
export const hoursOfDays = (from: BusinessDate, to: BusinessDate): ReadonlyArray<BusinessHour> =>
  businessDaysBetween(from, to).flatMap(hoursOfDay)

/** The day an hour belongs to. */
export const dateOfHour = (hour: BusinessHour): BusinessDate => hour.slice(0, 8) as BusinessDate
