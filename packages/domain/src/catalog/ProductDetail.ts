import type { Brand } from "./Brand.js"
import { type DisplayStatus, displayStatus, type Product } from "./Product.js"

/**
 * A product as its detail page shows it. Detail is served for every product id that exists,
 * INACTIVE ones and those of inactive brands included (status tells the caller); only the
 * listing hides them.
 */
export interface ProductDetail {
  readonly product: Product
  readonly brandName: string
  readonly brandActive: boolean
  readonly status: DisplayStatus
}

export const toProductDetail = (product: Product, brand: Pick<Brand, "name" | "active">): ProductDetail => ({
  product,
  brandName: brand.name,
  brandActive: brand.active,
  status: displayStatus(product),
})
