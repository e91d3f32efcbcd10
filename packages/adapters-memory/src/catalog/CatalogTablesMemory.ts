import type { Brand, BrandId, Product, ProductId } from "@commerce-core/domain"
import { Context, Effect, Layer } from "effect"
import { MemoryDatabase, type MemoryTable } from "../MemoryDatabase.js"

/** The catalog's tables, shared by the brand and product repositories (the listing joins them). */
export class CatalogTablesMemory extends Context.Tag("@commerce-core/adapters-memory/CatalogTablesMemory")<
  CatalogTablesMemory,
  {
    readonly brands: MemoryTable<BrandId, Brand>
    readonly products: MemoryTable<ProductId, Product>
  }
>() {}

export const CatalogTablesMemoryLive = Layer.effect(
  CatalogTablesMemory,
  Effect.map(MemoryDatabase, (db) => ({
    brands: db.table<BrandId, Brand>("brands"),
    products: db.table<ProductId, Product>("products"),
  })),
)
