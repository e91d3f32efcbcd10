import { Schema } from "effect"

/**
 * Schemas for values that arrive as text in paths and query strings. Each decodes the exact
 * decimal notation only (no `1e3`, no `0x10`, no blanks) before the numeric checks apply.
 */
const IntegerText = Schema.String.pipe(
  Schema.pattern(/^-?(0|[1-9][0-9]{0,15})$/, { message: () => "Expected an integer" }),
)

const IntFromText = Schema.compose(IntegerText, Schema.NumberFromString)

/** An integer written in decimal in a path or query, checked by `to` after conversion. */
export const intFromText = <A, R>(to: Schema.Schema<A, number, R>) => Schema.compose(IntFromText, to)

/** A positive entity id in a path (`/products/{productId}`). */
export const idParam = <A>(id: Schema.Schema<A, number>) => intFromText(id)

/** Page and size as query parameters: page >= 0 (default 0), size 1..100 (default 20). */
export const PageQuery = Schema.Struct({
  page: Schema.optionalWith(intFromText(Schema.Int.pipe(Schema.between(0, 1_000_000))), { default: () => 0 }),
  size: Schema.optionalWith(intFromText(Schema.Int.pipe(Schema.between(1, 100))), { default: () => 20 }),
})
