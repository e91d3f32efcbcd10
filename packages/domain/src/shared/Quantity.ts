import { Schema } from "effect"

/** A count of units on an order or cart line: a positive safe integer. */
export const Quantity = Schema.Int.pipe(
  Schema.positive(),
  Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER),
  Schema.brand("Quantity"),
)
export type Quantity = typeof Quantity.Type

/** Units in stock: a non-negative safe integer. */
export const StockLevel = Schema.Int.pipe(
  Schema.nonNegative(),
  Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER),
  Schema.brand("StockLevel"),
)
export type StockLevel = typeof StockLevel.Type

/** The Quantity schema's test without the schema parser, for hot paths. */
export const isQuantity = (value: unknown): value is Quantity =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0

/** The StockLevel schema's test without the schema parser, for hot paths. */
export const isStockLevel = (value: unknown): value is StockLevel =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0
