import { issuedCouponRepositoryContract } from "@commerce-core/domain/testing"
import { describe } from "vitest"
import { gatedMemoryWorld } from "./support/CouponWorld.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"

describeRedis("IssuedCouponRepositoryGated over the memory store", () => {
  const redis = useTestRedis()
  describe("relearning from the store's answers", () => {
    issuedCouponRepositoryContract(() => gatedMemoryWorld(redis.fresh(), { ledger: false }).layer, { numRuns: 25 })
  })
  describe("reloading from a CouponIssueLedger", () => {
    issuedCouponRepositoryContract(() => gatedMemoryWorld(redis.fresh(), { ledger: true }).layer, { numRuns: 25 })
  })
})
