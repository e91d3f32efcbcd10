import {
  BrandId,
  CatalogService,
  CouponService,
  type CouponTemplate,
  CouponType,
  ProductId,
  ProductStatus,
} from "@commerce-core/domain"
import { Effect, Schema } from "effect"
import { idParam } from "../routing/Fields.js"
import { route } from "../routing/Route.js"
import { BrandDto, detailWithRank, ProductDetailDto, toBrandDto } from "./CatalogRoutes.js"
import { Instant, iso } from "./Dto.js"

const Amount = Schema.Int.pipe(Schema.between(0, Number.MAX_SAFE_INTEGER))
const Text = (max: number) => Schema.String.pipe(Schema.maxLength(max))

/** An instant written ISO-8601 with an offset (`2026-01-01T00:00:00+09:00` or `...Z`). */
export const IsoInstant = Schema.compose(
  Schema.String.pipe(
    Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, {
      message: () => "must be an ISO-8601 instant with offset",
    }),
  ),
  Schema.DateFromString,
).pipe(
  Schema.filter((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1970 && d.getUTCFullYear() <= 9999, {
    message: () => "must be a real instant between 1970 and 9999",
    arbitrary: () => (fc) => fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z") }),
  }),
)

const CouponTemplateDto = Schema.Struct({
  id: Schema.Int,
  name: Schema.String,
  type: CouponType,
  value: Schema.Int,
  maxDiscount: Schema.NullOr(Schema.Int),
  minOrderAmount: Schema.NullOr(Schema.Int),
  totalQuantity: Schema.NullOr(Schema.Int),
  issueStartsAt: Instant,
  issueEndsAt: Instant,
  validDays: Schema.Int,
})

const toTemplateDto = (t: CouponTemplate) => ({
  id: t.id,
  name: t.name,
  type: t.type,
  value: t.value,
  maxDiscount: t.maxDiscount ?? null,
  minOrderAmount: t.minOrderAmount ?? null,
  totalQuantity: t.totalQuantity ?? null,
  issueStartsAt: iso(t.issueStartsAt),
  issueEndsAt: iso(t.issueEndsAt),
  validDays: t.validDays,
})

const ProductPath = Schema.Struct({ id: idParam(ProductId) })

export const adminRoutes = () => [
  route({
    method: "post",
    path: "/api/admin/v1/brands",
    tag: "admin",
    summary: "Creates a brand",
    access: "admin",
    body: Schema.Struct({ name: Text(1000), description: Text(100_000) }),
    response: BrandDto,
    status: 201,
    handler: ({ body }) =>
      Effect.map(
        Effect.flatMap(CatalogService, (c) => c.createBrand(body)),
        toBrandDto,
      ),
  }),
  route({
    method: "post",
    path: "/api/admin/v1/products",
    tag: "admin",
    summary: "Creates a product",
    access: "admin",
    body: Schema.Struct({
      brandId: BrandId,
      name: Text(1000),
      description: Text(100_000),
      price: Amount,
      stock: Amount,
      maxOrderQuantity: Amount.pipe(Schema.greaterThanOrEqualTo(1)),
      status: Schema.optional(ProductStatus),
    }),
    response: ProductDetailDto,
    status: 201,
    handler: ({ body }) =>
      Effect.flatMap(
        Effect.flatMap(CatalogService, (c) => c.createProduct(body)),
        detailWithRank,
      ),
  }),
  route({
    method: "patch",
    path: "/api/admin/v1/products/{id}",
    tag: "admin",
    summary: "Changes any of name, description, price, maxOrderQuantity, status",
    access: "admin",
    params: ProductPath,
    body: Schema.Struct({
      name: Schema.optional(Text(1000)),
      description: Schema.optional(Text(100_000)),
      price: Schema.optional(Amount),
      maxOrderQuantity: Schema.optional(Amount.pipe(Schema.greaterThanOrEqualTo(1))),
      status: Schema.optional(ProductStatus),
    }),
    response: ProductDetailDto,
    handler: ({ params, body }) =>
      Effect.flatMap(
        Effect.flatMap(CatalogService, (c) => c.updateProduct(params.id, body)),
        detailWithRank,
      ),
  }),
  route({
    method: "post",
    path: "/api/admin/v1/products/{id}/stock",
    tag: "admin",
    summary: "Restocks (delta > 0) or corrects (delta < 0) a product's stock",
    access: "admin",
    params: ProductPath,
    body: Schema.Struct({
      delta: Schema.Int.pipe(Schema.between(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
    }),
    response: ProductDetailDto,
    handler: ({ params, body }) =>
      Effect.flatMap(
        Effect.flatMap(CatalogService, (c) => c.adjustStock(params.id, body.delta)),
        detailWithRank,
      ),
  }),
  route({
    method: "post",
    path: "/api/admin/v1/coupons",
    tag: "admin",
    summary: "Creates a coupon template",
    access: "admin",
    body: Schema.Struct({
      name: Text(1000),
      type: CouponType,
      value: Amount.pipe(Schema.greaterThanOrEqualTo(1)),
      maxDiscount: Schema.optional(Amount),
      minOrderAmount: Schema.optional(Amount),
      totalQuantity: Schema.optional(Amount.pipe(Schema.greaterThanOrEqualTo(1))),
      issueStartsAt: IsoInstant,
      issueEndsAt: IsoInstant,
      validDays: Schema.Int.pipe(Schema.between(1, 36_500)),
    }),
    response: CouponTemplateDto,
    status: 201,
    handler: ({ body }) =>
      Effect.map(
        Effect.flatMap(CouponService, (c) => c.createTemplate(body)),
        toTemplateDto,
      ),
  }),
]
