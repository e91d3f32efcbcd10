import { Layer } from "effect"

export * from "./BrandRepositoryMysql.js"
export * from "./ProductRepositoryMysql.js"
/** Brands and products. */
export declare const CatalogMysql: Layer.Layer<
  import("@commerce-core/domain").BrandRepository | import("@commerce-core/domain").ProductRepository,
  never,
  import("@effect/sql/SqlClient").SqlClient
>
//# sourceMappingURL=index.d.ts.map
