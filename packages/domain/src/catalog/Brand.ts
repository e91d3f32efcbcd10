import { Schema } from "effect"
import { BrandId } from "../shared/Ids.js"
import { CatalogDescription, CatalogName } from "./CatalogText.js"

export class Brand extends Schema.Class<Brand>("Brand")({
  id: BrandId,
  name: CatalogName,
  description: CatalogDescription,
  active: Schema.Boolean,
  createdAt: Schema.Date,
}) {}

/** A brand before the store has assigned its id. */
export interface NewBrand {
  readonly name: CatalogName
  readonly description: CatalogDescription
  readonly active: boolean
  readonly createdAt: Date
}
