import { Layer } from "effect"
import { BrandRepositoryMemory } from "./BrandRepositoryMemory.js"
import { CatalogTablesMemoryLive } from "./CatalogTablesMemory.js"
import { ProductRepositoryMemory } from "./ProductRepositoryMemory.js"

export * from "./BrandRepositoryMemory.js"
export * from "./CatalogTablesMemory.js"
export * from "./ProductRepositoryMemory.js"

/** BrandRepository and ProductRepository on one shared pair of tables; requires MemoryDatabase. */
export const CatalogMemory = Layer.merge(BrandRepositoryMemory, ProductRepositoryMemory).pipe(
  Layer.provide(CatalogTablesMemoryLive),
)
