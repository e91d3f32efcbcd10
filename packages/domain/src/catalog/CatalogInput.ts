import { Effect, Either, Schema } from "effect"
import { InvalidInput } from "../shared/DomainError.js"
import type { BrandId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"
import { Quantity, StockLevel } from "../shared/Quantity.js"
import { CatalogDescription, CatalogName, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from "./CatalogText.js"
import { type ProductChanges, ProductStatus } from "./Product.js"

/** Input as callers send it; every field is checked and a bad one fails with InvalidInput naming it. */
export interface CreateBrandInput {
  readonly name: string
  readonly description: string
}

export interface CreateProductInput {
  readonly brandId: BrandId
  readonly name: string
  readonly description: string
  readonly price: number
  readonly stock: number
  readonly maxOrderQuantity: number
  /** Defaults to ACTIVE. */
  readonly status?: ProductStatus | undefined
}

/** A partial update: absent (or undefined) fields stay as they are. */
export interface UpdateProductInput {
  readonly name?: string | undefined
  readonly description?: string | undefined
  readonly price?: number | undefined
  readonly maxOrderQuantity?: number | undefined
  readonly status?: ProductStatus | undefined
}

const check =
  <A, I>(schema: Schema.Schema<A, I>, field: string, reason: string) =>
  (value: unknown): Either.Either<A, InvalidInput> =>
    Either.mapLeft(Schema.decodeUnknownEither(schema)(value), () => new InvalidInput({ field, reason }))

const nameReason = `must be 1 to ${MAX_NAME_LENGTH} characters after trimming`
const checkName = (field: string) => (value: unknown) =>
  check(CatalogName, field, nameReason)(typeof value === "string" ? value.trim() : value)
const checkDescription = check(
  CatalogDescription,
  "description",
  `must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters`,
)
const checkPrice = check(Money, "price", "must be an integer amount >= 0")
const checkStock = check(StockLevel, "stock", "must be an integer >= 0")
const checkMaxOrderQuantity = check(Quantity, "maxOrderQuantity", "must be an integer >= 1")
const checkStatus = check(ProductStatus, "status", "must be ACTIVE or INACTIVE")

export const validateBrand = (input: CreateBrandInput) =>
  Effect.all({ name: checkName("name")(input.name), description: checkDescription(input.description) })

export const validateProduct = (input: CreateProductInput) =>
  Effect.all({
    name: checkName("name")(input.name),
    description: checkDescription(input.description),
    price: checkPrice(input.price),
    stock: checkStock(input.stock),
    maxOrderQuantity: checkMaxOrderQuantity(input.maxOrderQuantity),
    status: checkStatus(input.status ?? "ACTIVE"),
  })

/** Checks the fields that are present and keeps only those. */
export const validateChanges = (input: UpdateProductInput): Effect.Effect<ProductChanges, InvalidInput> =>
  Effect.gen(function* () {
    const changes: {
      -readonly [K in keyof ProductChanges]: ProductChanges[K]
    } = {}
    if (input.name !== undefined) changes.name = yield* checkName("name")(input.name)
    if (input.description !== undefined) changes.description = yield* checkDescription(input.description)
    if (input.price !== undefined) changes.price = yield* checkPrice(input.price)
    if (input.maxOrderQuantity !== undefined)
      changes.maxOrderQuantity = yield* checkMaxOrderQuantity(input.maxOrderQuantity)
    if (input.status !== undefined) changes.status = yield* checkStatus(input.status)
    return changes
  })

/** A stock adjustment: a non-zero safe integer. */
export const validateDelta = (delta: number): Either.Either<number, InvalidInput> =>
  Number.isSafeInteger(delta) && delta !== 0
    ? Either.right(delta)
    : Either.left(new InvalidInput({ field: "delta", reason: "must be a non-zero integer" }))
