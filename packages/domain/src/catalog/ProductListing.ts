import { Order, Schema } from "effect"
import type { BrandId, ProductId } from "../shared/Ids.js"
import type { Money } from "../shared/Money.js"
import type { PageRequest } from "../shared/Pagination.js"
import type { StockLevel } from "../shared/Quantity.js"
import type { Product } from "./Product.js"

export const ProductSort = Schema.Literal("latest", "price_asc", "likes_desc")
export type ProductSort = typeof ProductSort.Type

export interface ProductListQuery {
  /** Only products of this brand; absent lists every brand. */
  readonly brandId?: BrandId | undefined
  readonly sort: ProductSort
  readonly page: PageRequest
}

/** One row of the public product listing. */
export interface ProductListItem {
  readonly id: ProductId
  readonly name: string
  readonly price: Money
  readonly brandId: BrandId
  readonly brandName: string
  readonly likeCount: number
  readonly stock: StockLevel
}

type Sortable = Pick<Product, "id" | "createdAt" | "price" | "likeCount">

/** Ties always break by id DESCENDING (the newer product first), for every sort. */
const byIdDesc: Order.Order<Sortable> = Order.mapInput(Order.reverse(Order.number), (p) => p.id)

const primary: Record<ProductSort, Order.Order<Sortable>> = {
  latest: Order.mapInput(Order.reverse(Order.number), (p) => p.createdAt.getTime()),
  price_asc: Order.mapInput(Order.number, (p) => p.price),
  likes_desc: Order.mapInput(Order.reverse(Order.number), (p) => p.likeCount),
}

/**
 * The total order of a listing. SQL adapters must use the same:
 * latest = `created_at DESC, id DESC`, price_asc = `price ASC, id DESC`, likes_desc = `like_count DESC, id DESC`.
 */
export const listingOrder = (sort: ProductSort): Order.Order<Sortable> => Order.combine(primary[sort], byIdDesc)

/** Listing shows ACTIVE products of active brands only. */
export const isListed = (product: Pick<Product, "status">, brand: { readonly active: boolean }): boolean =>
  product.status === "ACTIVE" && brand.active

export const toListItem = (product: Product, brandName: string): ProductListItem => ({
  id: product.id,
  name: product.name,
  price: product.price,
  brandId: product.brandId,
  brandName,
  likeCount: product.likeCount,
  stock: product.stock,
})
