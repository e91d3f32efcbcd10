import {
  brandRepositoryContract,
  productListingContract,
  productRepositoryContract,
  productStockContract,
} from "@commerce-core/domain/testing"
import { describe } from "vitest"
import { cachedMemoryCatalog } from "./support/CatalogWorld.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"

describeRedis("Product cache decorators over the memory catalog", () => {
  const redis = useTestRedis()
  // Without a hold every read after a write goes through the generation check alone.
  for (const holdMillis of [0, 2_000]) {
    describe(`hold ${holdMillis} ms`, () => {
      const makeLayer = () => cachedMemoryCatalog(redis.fresh(), { cache: { holdMillis } }).layer
      brandRepositoryContract(makeLayer)
      productRepositoryContract(makeLayer)
      productStockContract(makeLayer)
      productListingContract(makeLayer, { numRuns: 15 })
    })
  }
})
