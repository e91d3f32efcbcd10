import { randomBytes } from "node:crypto"
import { Effect, Exit, Layer, Scope } from "effect"
import type { Redis } from "ioredis"
import { afterAll, beforeAll, describe } from "vitest"
import { acquireRedis, makeRedisConnection, RedisClient } from "../../src/index.js"

/**
 * Integration tests run against the Redis of SERVICES.md (or `REDIS_TEST_URL`). Each test file
 * gets a key prefix of its own and deletes its keys at the end. Under CI=true an unreachable
 * Redis fails the run; elsewhere the suites skip and say why.
 */
export const redisTestUrl = process.env.REDIS_TEST_URL ?? "redis://127.0.0.1:6379"
const isCi = process.env.CI === "true"

const probe = await Effect.runPromise(
  Effect.scoped(acquireRedis({ url: redisTestUrl })).pipe(
    Effect.as(undefined),
    Effect.catchAll((error) => Effect.succeed(error.reason)),
  ),
)

if (probe !== undefined && isCi) {
  throw new Error(`Redis is required under CI=true but is unreachable at ${redisTestUrl}: ${probe}`)
}

export const redisUnavailableReason: string | undefined = probe

/** `describe` that runs when Redis is reachable, and otherwise (outside CI only) skips saying why. */
export const describeRedis = (name: string, body: () => void) => {
  if (redisUnavailableReason !== undefined) {
    console.warn(`[adapters-redis] skipping "${name}": Redis unreachable (${redisUnavailableReason})`)
  }
  describe.skipIf(redisUnavailableReason !== undefined)(name, body)
}

export interface TestRedis {
  /** The file's raw client (for FLUSHALL-style sabotage and key inspection). */
  readonly raw: () => Redis
  /** A RedisClient over the shared connection with a prefix no other test uses: an empty store. */
  readonly fresh: () => Layer.Layer<RedisClient>
  /** A RedisClient over the shared connection under one given prefix. */
  readonly withPrefix: (prefix: string) => Layer.Layer<RedisClient>
  readonly runPrefix: string
}

/** Registers one connection for the enclosing suite; every key it writes is deleted afterwards. */
export const useTestRedis = (): TestRedis => {
  const runPrefix = `commerce_test:${randomBytes(6).toString("hex")}:`
  let client: Redis | undefined
  let scope: Scope.CloseableScope | undefined
  let counter = 0

  beforeAll(async () => {
    scope = await Effect.runPromise(Scope.make())
    client = await Effect.runPromise(Scope.extend(acquireRedis({ url: redisTestUrl }), scope))
  })

  afterAll(async () => {
    if (client) {
      const stream = client.scanStream({ match: `${runPrefix}*`, count: 1_000 })
      for await (const keys of stream as AsyncIterable<Array<string>>) {
        if (keys.length > 0) await client.unlink(...keys)
      }
    }
    if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  const raw = () => {
    if (!client) throw new Error("the test Redis is not ready: use it inside a test")
    return client
  }
  const withPrefix = (prefix: string) => Layer.sync(RedisClient, () => makeRedisConnection(raw(), prefix))
  return {
    raw,
    runPrefix,
    withPrefix,
    fresh: () => withPrefix(`${runPrefix}${++counter}:`),
  }
}
