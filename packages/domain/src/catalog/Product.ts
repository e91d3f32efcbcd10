import { Schema } from "effect"
import { copyWith } from "../shared/CopyWith.js"
import { BrandId, ProductId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"
import { Quantity, StockLevel } from "../shared/Quantity.js"
import { CatalogDescription, CatalogName } from "./CatalogText.js"

/** The stored status. OUT_OF_STOCK is never stored: see `displayStatus`. */
export const ProductStatus = Schema.Literal("ACTIVE", "INACTIVE")
export type ProductStatus = typeof ProductStatus.Type

/** The status shown to callers. */
export const DisplayStatus = Schema.Literal("ACTIVE", "INACTIVE", "OUT_OF_STOCK")
export type DisplayStatus = typeof DisplayStatus.Type

/** Number of distinct users who like a product. */
export const LikeCount = Schema.Int.pipe(Schema.nonNegative(), Schema.lessThanOrEqualTo(Number.MAX_SAFE_INTEGER))
export type LikeCount = typeof LikeCount.Type

export class Product extends Schema.Class<Product>("Product")({
  id: ProductId,
  brandId: BrandId,
  name: CatalogName,
  description: CatalogDescription,
  price: Money,
  stock: StockLevel,
  /** Most units of this product on one order (or cart) line. */
  maxOrderQuantity: Quantity,
  status: ProductStatus,
  likeCount: LikeCount,
  createdAt: Schema.Date,
}) {}

/** The product with a new stock level (a checked StockLevel); the row is not re-validated. */
export const withStock = (product: Product, stock: StockLevel): Product => copyWith(product, { stock })

/** A product before the store has assigned its id; it starts with no likes. */
export interface NewProduct {
  readonly brandId: BrandId
  readonly name: CatalogName
  readonly description: CatalogDescription
  readonly price: Money
  readonly stock: StockLevel
  readonly maxOrderQuantity: Quantity
  readonly status: ProductStatus
  readonly createdAt: Date
}

/** The fields an update may change; stock and likes change only through their atomic operations. */
export interface ProductChanges {
  readonly name?: CatalogName
  readonly description?: CatalogDescription
  readonly price?: Money
  readonly maxOrderQuantity?: Quantity
  readonly status?: ProductStatus
}

/**
 * INACTIVE wins over OUT_OF_STOCK: an inactive product is off sale whatever its stock.
 * An ACTIVE product with stock 0 shows OUT_OF_STOCK.
 */
export const displayStatus = (product: Pick<Product, "status" | "stock">): DisplayStatus =>
  product.status === "INACTIVE" ? "INACTIVE" : product.stock === 0 ? "OUT_OF_STOCK" : "ACTIVE"

/** True when the product can be put in a cart or ordered (stock is checked separately). */
export const isOnSale = (product: Pick<Product, "status">): boolean => product.status === "ACTIVE"
