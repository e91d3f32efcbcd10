import {
  CouponService,
  CouponStatus,
  CouponTemplateId,
  CouponType,
  PageRequest,
  ProductRepository,
  RankingPeriod,
  RankingService,
  type UserCoupon,
} from "@commerce-core/domain"
import { Effect, Schema } from "effect"
import { idParam, PageQuery } from "../routing/Fields.js"
import { route } from "../routing/Route.js"
import { Instant, iso, PageOf } from "./Dto.js"

const UserCouponDto = Schema.Struct({
  id: Schema.Int,
  couponId: Schema.Int,
  name: Schema.String,
  type: CouponType,
  value: Schema.Int,
  maxDiscount: Schema.NullOr(Schema.Int),
  minOrderAmount: Schema.NullOr(Schema.Int),
  status: CouponStatus,
  expiresAt: Instant,
})

const toUserCouponDto = (c: UserCoupon) => ({
  id: c.id,
  couponId: c.couponId,
  name: c.name,
  type: c.type,
  value: c.value,
  maxDiscount: c.maxDiscount,
  minOrderAmount: c.minOrderAmount,
  status: c.status,
  expiresAt: iso(c.expiresAt),
})

const RankingItemDto = Schema.Struct({
  rank: Schema.Int,
  score: Schema.Number,
  product: Schema.Struct({
    id: Schema.Int,
    name: Schema.String,
    price: Schema.Int,
    brandId: Schema.Int,
    brandName: Schema.String,
    likeCount: Schema.Int,
  }),
})

const RankingPageDto = Schema.extend(
  PageOf(RankingItemDto),
  Schema.Struct({ period: RankingPeriod, date: Schema.String }),
)

export const couponRoutes = () => [
  route({
    method: "post",
    path: "/api/v1/coupons/{couponId}/issue",
    tag: "coupons",
    summary: "Issues a coupon of the template to the caller (first come, first served)",
    access: "user",
    params: Schema.Struct({ couponId: idParam(CouponTemplateId) }),
    response: UserCouponDto,
    status: 201,
    handler: ({ user, params }) =>
      Effect.map(
        Effect.flatMap(CouponService, (coupons) => coupons.issue(params.couponId, user.id)),
        toUserCouponDto,
      ),
  }),
  route({
    method: "get",
    path: "/api/v1/coupons",
    tag: "coupons",
    summary: "The caller's coupons, newest first",
    access: "user",
    query: Schema.Struct({ status: Schema.optional(CouponStatus) }),
    response: Schema.Struct({ items: Schema.Array(UserCouponDto) }),
    handler: ({ user, query }) =>
      Effect.map(
        Effect.flatMap(CouponService, (coupons) => coupons.listMine(user.id, query.status)),
        (items) => ({ items: items.map(toUserCouponDto) }),
      ),
  }),
]

export const rankingRoutes = () => [
  route({
    method: "get",
    path: "/api/v1/rankings",
    tag: "rankings",
    summary: "A page of the daily, weekly or monthly product ranking",
    access: "public",
    query: Schema.Struct({
      period: Schema.optionalWith(RankingPeriod, { default: () => "daily" as const }),
      date: Schema.optional(Schema.String.pipe(Schema.pattern(/^\d{8}$/, { message: () => "must be yyyyMMdd" }))),
      ...PageQuery.fields,
    }),
    response: RankingPageDto,
    handler: ({ query }) =>
      Effect.gen(function* () {
        const ranking = yield* RankingService
        const products = yield* ProductRepository
        const page = yield* ranking.page({
          period: query.period,
          date: query.date,
          request: PageRequest.make({ page: query.page, size: query.size }),
        })
        const found = yield* products.findDetails(page.items.map((i) => i.productId))
        const byId = new Map(found.map((d) => [d.product.id as number, d]))
        const items = page.items.flatMap((item) => {
          const detail = byId.get(item.productId)
          if (detail === undefined) return []
          const p = detail.product
          const product = {
            id: p.id,
            name: p.name,
            price: p.price,
            brandId: p.brandId,
            brandName: detail.brandName,
            likeCount: p.likeCount,
          }
          return [{ rank: item.rank, score: item.score, product }]
        })
        return {
          items,
          page: page.page,
          size: page.size,
          totalElements: page.totalElements,
          totalPages: page.totalPages,
          hasNext: page.hasNext,
          period: page.period,
          date: page.date,
        }
      }),
  }),
]
