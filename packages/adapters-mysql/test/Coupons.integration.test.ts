import { couponTemplateRepositoryContract, issuedCouponRepositoryContract } from "@commerce-core/domain/testing"
import { CouponsMysql, CouponTemplateRepositoryMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("CouponsMysql", () => {
  const db = useTestDatabase()
  couponTemplateRepositoryContract(() => db.fresh(CouponTemplateRepositoryMysql))
  issuedCouponRepositoryContract(() => db.fresh(CouponsMysql), { numRuns: 15 })
})
