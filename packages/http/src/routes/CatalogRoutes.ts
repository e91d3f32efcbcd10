import {
  type Brand,
  BrandId,
  CatalogService,
  PageRequest,
  type ProductDetail,
  ProductId,
  ProductRepository,
  ProductSort,
  RankingService,
} from "@commerce-core/domain"
import { Effect, Option, Schema } from "effect"
import { idParam, intFromText, PageQuery } from "../routing/Fields.js"
import { route } from "../routing/Route.js"
import { PageOf } from "./Dto.js"

export const BrandDto = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  description: Schema.String,
  isActive: Schema.Boolean,
})

export const toBrandDto = (brand: Brand) => ({
  id: brand.id,
  name: brand.name,
  description: brand.description,
  isActive: brand.active,
})

export const ProductDetailDto = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  description: Schema.String,
  price: Schema.Int,
  stock: Schema.Int,
  status: Schema.Literal("ACTIVE", "INACTIVE", "OUT_OF_STOCK"),
  maxOrderQuantity: Schema.Int,
  brandId: Schema.Int,
  brandName: Schema.String,
  likeCount: Schema.Int,
  currentRank: Schema.NullOr(Schema.Int),
  currentScore: Schema.NullOr(Schema.Number),
})

export const toProductDetailDto = (
  detail: ProductDetail,
  rank: Option.Option<{ readonly rank: number; readonly score: number }>,
) => ({
  id: detail.product.id,
  name: detail.product.name,
  description: detail.product.description,
  price: detail.product.price,
  stock: detail.product.stock,
  status: detail.status,
  maxOrderQuantity: detail.product.maxOrderQuantity,
  brandId: detail.product.brandId,
  brandName: detail.brandName,
  likeCount: detail.product.likeCount,
  currentRank: Option.isSome(rank) ? rank.value.rank : null,
  currentScore: Option.isSome(rank) ? rank.value.score : null,
})

/** The detail with today's rank; an unavailable ranking store leaves the rank null rather than failing the page. */
export const detailWithRank = (detail: ProductDetail) =>
  Effect.gen(function* () {
    const ranking = yield* RankingService
    const rank = yield* ranking.rankOf(detail.product.id).pipe(
      Effect.tapError((error) => Effect.logWarning("rank lookup failed", error)),
      Effect.orElseSucceed(() => Option.none()),
    )
    return toProductDetailDto(detail, rank)
  })

const ListItemDto = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  price: Schema.Int,
  brandId: Schema.Int,
  brandName: Schema.String,
  likeCount: Schema.Int,
  stock: Schema.Int,
})

const TopProductsDto = Schema.Struct({
  items: Schema.Array(
    Schema.Struct({
      rank: Schema.Int,
      orderCount: Schema.Int,
      product: Schema.Struct({ id: Schema.Int, name: Schema.String, price: Schema.Int, brandId: Schema.Int }),
    }),
  ),
})

const ProductPath = Schema.Struct({ productId: idParam(ProductId) })

export const catalogRoutes = () => [
  route({
    method: "get",
    path: "/api/v1/brands/{brandId}",
    tag: "catalog",
    summary: "A brand",
    access: "public",
    params: Schema.Struct({ brandId: idParam(BrandId) }),
    response: BrandDto,
    handler: ({ params }) =>
      Effect.map(
        Effect.flatMap(CatalogService, (catalog) => catalog.getBrand(params.brandId)),
        toBrandDto,
      ),
  }),
  route({
    method: "get",
    path: "/api/v1/products",
    tag: "catalog",
    summary: "Products on sale, sorted and paged",
    access: "public",
    query: Schema.Struct({
      brandId: Schema.optional(idParam(BrandId)),
      sort: Schema.optionalWith(ProductSort, { default: () => "latest" as const }),
      ...PageQuery.fields,
    }),
    response: PageOf(ListItemDto),
    handler: ({ query }) =>
      Effect.flatMap(CatalogService, (catalog) =>
        catalog.listProducts({
          brandId: query.brandId,
          sort: query.sort,
          page: PageRequest.make({ page: query.page, size: query.size }),
        }),
      ),
  }),
  route({
    method: "get",
    path: "/api/v1/products/top",
    tag: "catalog",
    summary: "Products with the most paid orders over the last days",
    access: "public",
    query: Schema.Struct({
      days: Schema.optionalWith(intFromText(Schema.Int.pipe(Schema.between(1, 90))), { default: () => 3 }),
      limit: Schema.optionalWith(intFromText(Schema.Int.pipe(Schema.between(1, 100))), { default: () => 5 }),
    }),
    response: TopProductsDto,
    handler: ({ query }) =>
      Effect.gen(function* () {
        const ranking = yield* RankingService
        const products = yield* ProductRepository
        const top = yield* ranking.topProducts({ days: query.days, limit: query.limit })
        const found = yield* products.findDetails(top.map((t) => t.productId))
        const byId = new Map(found.map((d) => [d.product.id, d.product]))
        const items = top.flatMap((t) => {
          const product = byId.get(t.productId)
          return product === undefined
            ? []
            : [
                {
                  rank: t.rank,
                  orderCount: t.orderCount,
                  product: { id: product.id, name: product.name, price: product.price, brandId: product.brandId },
                },
              ]
        })
        return { items }
      }),
  }),
  route({
    method: "get",
    path: "/api/v1/products/{productId}",
    tag: "catalog",
    summary: "A product's detail with its current daily rank (counts a view)",
    access: "public",
    params: ProductPath,
    response: ProductDetailDto,
    handler: ({ params }) =>
      Effect.flatMap(
        Effect.flatMap(CatalogService, (catalog) => catalog.getProductDetail(params.productId)),
        detailWithRank,
      ),
  }),
]
