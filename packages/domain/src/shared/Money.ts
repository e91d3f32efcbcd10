import { Either, Schema } from "effect"
import type { ErrorKind } from "./DomainError.js"

/** An amount of KRW: a non-negative safe integer. Fractions never exist. */
export const Money = Schema.Int.pipe(
  Schema.nonNegative(),
  Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER),
  Schema.brand("Money"),
)
export type Money = typeof Money.Type

/** Arithmetic that would leave the range of Money (negative or beyond a safe integer). */
export class AmountOutOfRange extends Schema.TaggedError<AmountOutOfRange>()("AmountOutOfRange", {
  operation: Schema.String,
}) {
  get code() {
    return "AMOUNT_OUT_OF_RANGE" as const
  }
  get kind(): ErrorKind {
    return "invalid"
  }
  override get message() {
    return `Amount out of range in ${this.operation}`
  }
}

/**
 * The Money schema's test (a safe integer >= 0) without the schema parser: about 200 times
 * cheaper, and arithmetic on the order path runs it several times per order.
 */
export const isMoney = (value: unknown): value is Money =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0

const checked = (value: number, operation: string): Either.Either<Money, AmountOutOfRange> =>
  isMoney(value) ? Either.right(value) : Either.left(new AmountOutOfRange({ operation }))

export const zero: Money = Money.make(0)

/** Builds Money from a number known to be valid; throws on anything else (for literals and tests). */
export const make = (value: number): Money => (isMoney(value) ? value : Money.make(value))

export const add = (a: Money, b: Money) => checked(a + b, "add")

export const subtract = (a: Money, b: Money) => checked(a - b, "subtract")

export const multiply = (unit: Money, times: number) => checked(unit * times, "multiply")

export const sum = (amounts: Iterable<Money>): Either.Either<Money, AmountOutOfRange> => {
  let total = 0
  for (const amount of amounts) total += amount
  return checked(total, "sum")
}

export const min = (a: Money, b: Money): Money => (a <= b ? a : b)

/**
 * floor(amount * percent / 100), computed in BigInt so that large amounts never lose precision.
 * The result is never above `amount` for percent in 0..100.
 */
export const percentOf = (amount: Money, percent: number): Money => {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`percent must be an integer in 0..100, got ${percent}`)
  }
  return Money.make(Number((BigInt(amount) * BigInt(percent)) / 100n))
}
