import { Schema } from "effect"

export const MAX_NAME_LENGTH = 100
export const MAX_DESCRIPTION_LENGTH = 2000

/** Brand and product names: trimmed, 1..100 characters (a VARCHAR(100) in SQL). */
export const CatalogName = Schema.Trimmed.pipe(
  Schema.minLength(1),
  Schema.maxLength(MAX_NAME_LENGTH),
  Schema.brand("CatalogName"),
)
export type CatalogName = typeof CatalogName.Type

/** Free text, possibly empty, at most 2000 characters. */
export const CatalogDescription = Schema.String.pipe(
  Schema.maxLength(MAX_DESCRIPTION_LENGTH),
  Schema.brand("CatalogDescription"),
)
export type CatalogDescription = typeof CatalogDescription.Type
