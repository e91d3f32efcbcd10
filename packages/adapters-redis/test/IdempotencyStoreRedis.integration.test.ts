import { idempotencyStoreContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { IdempotencyStoreRedis } from "../src/index.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"

describeRedis("IdempotencyStoreRedis", () => {
  const redis = useTestRedis()
  idempotencyStoreContract(() => IdempotencyStoreRedis.pipe(Layer.provide(redis.fresh())))
})
