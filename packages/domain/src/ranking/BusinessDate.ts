import { Either, Schema } from "effect"
import { InvalidInput } from "../shared/DomainError.js"
import * as SeoulCalendar from "../shared/SeoulCalendar.js"

/** A Seoul calendar day written `yyyyMMdd`: the key of daily boards and daily metrics. */
export const BusinessDate = Schema.String.pipe(
  Schema.filter((s) => SeoulCalendar.isValidCompactDate(s), {
    message: () => "expected a real calendar date written yyyyMMdd",
  }),
  Schema.brand("BusinessDate"),
)
export type BusinessDate = typeof BusinessDate.Type

const isBusinessDate = Schema.is(BusinessDate)

/** The Seoul day containing the instant (an event's `occurredAt`, the clock's now). */
export const businessDateOf = (instant: Date | number): BusinessDate =>
  SeoulCalendar.compactDate(typeof instant === "number" ? instant : instant.getTime()) as BusinessDate

/** Validates caller input (query strings, job arguments) into a BusinessDate. */
export const parseBusinessDate = (value: string, field = "date"): Either.Either<BusinessDate, InvalidInput> =>
  isBusinessDate(value)
    ? Either.right(value)
    : Either.left(new InvalidInput({ field, reason: `expected a real calendar date written yyyyMMdd, got "${value}"` }))

/** The day `days` after (before, when negative) the given one. */
export const addBusinessDays = (date: BusinessDate, days: number): BusinessDate =>
  SeoulCalendar.addDays(date, days) as BusinessDate

/** Every day from `from` to `to`, both included, in ascending order (empty when `from > to`). */
export const businessDaysBetween = (from: BusinessDate, to: BusinessDate): ReadonlyArray<BusinessDate> => {
  const days: Array<BusinessDate> = []
  for (let day = from; day <= to; day = addBusinessDays(day, 1)) days.push(day)
  return days
}
