import { Schema } from "effect"
import type { ErrorKind } from "../shared/DomainError.js"
import { BrandId, ProductId } from "../shared/Ids.js"

export class BrandNotFound extends Schema.TaggedError<BrandNotFound>()("BrandNotFound", {
  brandId: BrandId,
}) {
  get code() {
    return "BRAND_NOT_FOUND" as const
  }
  get kind(): ErrorKind {
    return "not-found"
  }
  override get message() {
    return `Brand ${this.brandId} not found`
  }
}

export class ProductNotFound extends Schema.TaggedError<ProductNotFound>()("ProductNotFound", {
  productId: ProductId,
}) {
  get code() {
    return "PRODUCT_NOT_FOUND" as const
  }
  get kind(): ErrorKind {
    return "not-found"
  }
  override get message() {
    return `Product ${this.productId} not found`
  }
}

/** Fewer units in stock than requested; the operation changed nothing. */
export class InsufficientStock extends Schema.TaggedError<InsufficientStock>()("InsufficientStock", {
  productId: ProductId,
  requested: Schema.Number,
  available: Schema.Number,
}) {
  get code() {
    return "OUT_OF_STOCK" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Product ${this.productId} has ${this.available} left, ${this.requested} requested`
  }
}

/** The product exists but is INACTIVE: it can be viewed, not put in a cart or ordered. */
export class ProductUnavailable extends Schema.TaggedError<ProductUnavailable>()("ProductUnavailable", {
  productId: ProductId,
}) {
  get code() {
    return "PRODUCT_UNAVAILABLE" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Product ${this.productId} is not on sale`
  }
}
