import { Layer } from "effect"
import { BrandRepositoryMysql } from "./BrandRepositoryMysql.js"
import { ProductRepositoryMysql } from "./ProductRepositoryMysql.js"

export * from "./BrandRepositoryMysql.js"
export * from "./ProductRepositoryMysql.js"

/** Brands and products. */
export const CatalogMysql = Layer.merge(BrandRepositoryMysql, ProductRepositoryMysql)
