import { Schema } from "effect"
import { BrandId, OrderId, ProductId, UserId } from "../shared/Ids.js"
import { Quantity, StockLevel } from "../shared/Quantity.js"
import { eventFields } from "./EventFields.js"

export const BrandCreated = Schema.TaggedStruct("BrandCreated", { ...eventFields, brandId: BrandId })
export type BrandCreated = typeof BrandCreated.Type

/** A brand was switched on or off (its products join or leave the listings). */
export const BrandActivationChanged = Schema.TaggedStruct("BrandActivationChanged", {
  ...eventFields,
  brandId: BrandId,
  active: Schema.Boolean,
})
export type BrandActivationChanged = typeof BrandActivationChanged.Type

export const ProductCreated = Schema.TaggedStruct("ProductCreated", {
  ...eventFields,
  productId: ProductId,
  brandId: BrandId,
})
export type ProductCreated = typeof ProductCreated.Type

/** Name, description, price, maxOrderQuantity or status changed (cache invalidation). */
export const ProductUpdated = Schema.TaggedStruct("ProductUpdated", { ...eventFields, productId: ProductId })
export type ProductUpdated = typeof ProductUpdated.Type

/**
 * `views` views of the product, the last of them at `occurredAt` (on the same Seoul day):
 * views are tallied in memory and written in bulk (see ProductViewTally). Entries written
 * before the count existed stood for one view each.
 */
export const ProductViewed = Schema.TaggedStruct("ProductViewed", {
  ...eventFields,
  productId: ProductId,
  views: Schema.optionalWith(Schema.Int.pipe(Schema.positive()), { default: () => 1 }),
})
export type ProductViewed = typeof ProductViewed.Type

/** An administrative restock (delta > 0) or correction (delta < 0). */
export const StockAdjusted = Schema.TaggedStruct("StockAdjusted", {
  ...eventFields,
  productId: ProductId,
  delta: Schema.Int,
  stockAfter: StockLevel,
})
export type StockAdjusted = typeof StockAdjusted.Type

export const StockDecreased = Schema.TaggedStruct("StockDecreased", {
  ...eventFields,
  productId: ProductId,
  quantity: Quantity,
  stockAfter: StockLevel,
  orderId: OrderId,
})
export type StockDecreased = typeof StockDecreased.Type

export const StockRestored = Schema.TaggedStruct("StockRestored", {
  ...eventFields,
  productId: ProductId,
  quantity: Quantity,
  stockAfter: StockLevel,
  orderId: OrderId,
})
export type StockRestored = typeof StockRestored.Type

export const ProductLiked = Schema.TaggedStruct("ProductLiked", {
  ...eventFields,
  productId: ProductId,
  userId: UserId,
})
export type ProductLiked = typeof ProductLiked.Type

export const ProductUnliked = Schema.TaggedStruct("ProductUnliked", {
  ...eventFields,
  productId: ProductId,
  userId: UserId,
})
export type ProductUnliked = typeof ProductUnliked.Type
