export * from "./idempotency/IdempotencyStoreRedis.js"
export * from "./lock/DistributedLock.js"
export * from "./RedisClient.js"
export * from "./ranking/RankingBoardRedis.js"
