import {
  type BrandId,
  BrandRepository,
  CatalogDescription,
  CatalogName,
  Money,
  type NewBrand,
  type NewProduct,
  ProductRepository,
  Quantity,
  StockLevel,
} from "@commerce-core/domain"
import { Effect } from "effect"

/** A valid new brand; override any field. */
export const aBrand = (overrides: Partial<{ name: string; active: boolean; createdAt: Date }> = {}): NewBrand => ({
  name: CatalogName.make(overrides.name ?? "Brand"),
  description: CatalogDescription.make("A brand"),
  active: overrides.active ?? true,
  createdAt: overrides.createdAt ?? new Date(0),
})

export interface ProductOverrides {
  readonly name?: string
  readonly price?: number
  readonly stock?: number
  readonly maxOrderQuantity?: number
  readonly status?: "ACTIVE" | "INACTIVE"
  readonly createdAt?: Date
}

/** A valid new product of the brand; override any field. */
export const aProduct = (brandId: BrandId, overrides: ProductOverrides = {}): NewProduct => ({
  brandId,
  name: CatalogName.make(overrides.name ?? "Product"),
  description: CatalogDescription.make("A product"),
  price: Money.make(overrides.price ?? 1000),
  stock: StockLevel.make(overrides.stock ?? 10),
  maxOrderQuantity: Quantity.make(overrides.maxOrderQuantity ?? 10),
  status: overrides.status ?? "ACTIVE",
  createdAt: overrides.createdAt ?? new Date(0),
})

/** Inserts a brand and one product of it through the ports; returns the product. */
export const seedProduct = (overrides: ProductOverrides = {}) =>
  Effect.gen(function* () {
    const brand = yield* (yield* BrandRepository).insert(aBrand())
    return yield* (yield* ProductRepository).insert(aProduct(brand.id, overrides))
  })
