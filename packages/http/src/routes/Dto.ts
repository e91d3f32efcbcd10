import { Schema } from "effect"

/** JSON shapes of responses (documentation); handlers build the encoded form directly. */
export const PageOf = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.Struct({
    items: Schema.Array(item),
    page: Schema.Int,
    size: Schema.Int,
    totalElements: Schema.Int,
    totalPages: Schema.Int,
    hasNext: Schema.Boolean,
  })

/** ISO-8601 instant with offset, as every time in a response is written. */
export const Instant = Schema.String.annotations({ format: "date-time" })

export const iso = (date: Date) => date.toISOString()
