import { rankingBoardContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { RankingBoardRedis } from "../src/index.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"

describeRedis("RankingBoardRedis", () => {
  const redis = useTestRedis()
  rankingBoardContract(() => RankingBoardRedis.pipe(Layer.provide(redis.fresh())))
})
