import { Context, type Effect, type Option } from "effect"
import type { InvalidInput, PersistenceUnavailable } from "../shared/DomainError.js"
import type { ProductId } from "../shared/Ids.js"
import type { Page } from "../shared/Pagination.js"
import type { Quantity, StockLevel } from "../shared/Quantity.js"
import type { InsufficientStock, ProductNotFound } from "./CatalogErrors.js"
import type { NewProduct, Product, ProductChanges } from "./Product.js"
import type { ProductDetail } from "./ProductDetail.js"
import type { ProductListItem, ProductListQuery } from "./ProductListing.js"

/**
 * Products and their stock. Every operation is one atomic statement: stock and like counts
 * change through conditional writes (SQL: `UPDATE ... SET stock = stock - ? WHERE id = ? AND
 * stock >= ?`), so concurrent callers never oversell and never need a lock of their own.
 */
export class ProductRepository extends Context.Tag("@commerce-core/domain/ProductRepository")<
  ProductRepository,
  {
    /** Stores a new product (likeCount 0) and returns it with the id the store assigned. */
    readonly insert: (product: NewProduct) => Effect.Effect<Product, PersistenceUnavailable>
    readonly findById: (id: ProductId) => Effect.Effect<Option.Option<Product>, PersistenceUnavailable>
    /**
     * The product with its brand's name and active flag, as its detail page shows it, in one
     * read (SQL: a join); a product whose brand is missing counts as missing.
     */
    readonly findDetail: (id: ProductId) => Effect.Effect<Option.Option<ProductDetail>, PersistenceUnavailable>
    /** `findDetail` of each product that exists among `ids` (rankings show them), ascending id, once each. */
    readonly findDetails: (
      ids: ReadonlyArray<ProductId>,
    ) => Effect.Effect<ReadonlyArray<ProductDetail>, PersistenceUnavailable>
    /** The products that exist among `ids`, in ascending id order; unknown ids are left out. */
    readonly findByIds: (ids: ReadonlyArray<ProductId>) => Effect.Effect<ReadonlyArray<Product>, PersistenceUnavailable>
    /** Applies the given fields (absent ones are kept); returns the product after the change. */
    readonly update: (
      id: ProductId,
      changes: ProductChanges,
    ) => Effect.Effect<Product, ProductNotFound | PersistenceUnavailable>
    /** ACTIVE products of active brands, in `listingOrder(query.sort)`, optionally of one brand. */
    readonly list: (query: ProductListQuery) => Effect.Effect<Page<ProductListItem>, PersistenceUnavailable>
    /** Takes `quantity` units; fails with nothing changed when fewer are in stock. Returns the stock after. */
    readonly decrementStock: (
      id: ProductId,
      quantity: Quantity,
    ) => Effect.Effect<StockLevel, InsufficientStock | ProductNotFound | PersistenceUnavailable>
    /**
     * Puts back `quantity` units (a cancelled or failed order). Returns the stock after; fails
     * with InvalidInput, nothing changed, if the stock would leave the safe-integer range.
     */
    readonly restoreStock: (
      id: ProductId,
      quantity: Quantity,
    ) => Effect.Effect<StockLevel, InvalidInput | ProductNotFound | PersistenceUnavailable>
    /**
     * Adds `delta` (an integer, negative for a correction). Fails with nothing changed when the
     * stock would go below 0 (InsufficientStock) or beyond a safe integer (InvalidInput).
     */
    readonly adjustStock: (
      id: ProductId,
      delta: number,
    ) => Effect.Effect<StockLevel, InsufficientStock | InvalidInput | ProductNotFound | PersistenceUnavailable>
    /** Adds one like; returns the count after. */
    readonly incrementLikeCount: (id: ProductId) => Effect.Effect<number, ProductNotFound | PersistenceUnavailable>
    /** Removes one like, never going below 0 (SQL: `GREATEST(like_count - 1, 0)`); returns the count after. */
    readonly decrementLikeCount: (id: ProductId) => Effect.Effect<number, ProductNotFound | PersistenceUnavailable>
  }
>() {}
