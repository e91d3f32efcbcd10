import { Either } from "effect"
import { InvalidInput } from "../shared/DomainError.js"
import type { ProductId } from "../shared/Ids.js"
import { Quantity } from "../shared/Quantity.js"
import { QuantityLimitExceeded } from "./CartErrors.js"

/** One product in a user's cart. A user has at most one line per product. */
export interface CartLine {
  readonly productId: ProductId
  readonly quantity: Quantity
}

/**
 * The quantity of a line after adding `added` units to `current` (0 when there is no line).
 * The merged quantity must stay within 1..max.
 */
export const mergeQuantity = (
  productId: ProductId,
  current: number,
  added: Quantity,
  max: Quantity,
): Either.Either<Quantity, QuantityLimitExceeded> => {
  const merged = current + added
  return merged <= max
    ? Either.right(Quantity.make(merged))
    : Either.left(new QuantityLimitExceeded({ productId, requested: merged, max }))
}

/** A quantity to add: an integer >= 1. */
export const validateAddQuantity = (quantity: number): Either.Either<Quantity, InvalidInput> =>
  Number.isSafeInteger(quantity) && quantity >= 1
    ? Either.right(Quantity.make(quantity))
    : Either.left(new InvalidInput({ field: "quantity", reason: "must be an integer >= 1" }))

/** A quantity to set: an integer >= 0, where 0 means "remove the line". */
export const validateSetQuantity = (quantity: number): Either.Either<number, InvalidInput> =>
  Number.isSafeInteger(quantity) && quantity >= 0
    ? Either.right(quantity)
    : Either.left(new InvalidInput({ field: "quantity", reason: "must be an integer >= 0" }))
