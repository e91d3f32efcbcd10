import { Layer } from "effect"
import { CouponTemplateRepositoryMysql } from "./CouponTemplateRepositoryMysql.js"
import { IssuedCouponRepositoryMysql } from "./IssuedCouponRepositoryMysql.js"

export * from "./CouponIssueLedgerMysql.js"
export * from "./CouponTemplateRepositoryMysql.js"
export * from "./IssuedCouponRepositoryMysql.js"

/** Coupon templates and issued coupons. */
export const CouponsMysql = Layer.merge(CouponTemplateRepositoryMysql, IssuedCouponRepositoryMysql)
