import { Effect } from "effect"
import type { Redis } from "ioredis"

/**
 * What FLUSHALL does to one test's key space: every key under `prefix` is gone. The real
 * FLUSHALL (set REDIS_TEST_FLUSHALL=1) would also wipe the keys of every other suite running
 * on the shared machine, so it is opt-in.
 */
export const loseRedisData = (client: Redis, prefix: string) =>
  Effect.promise(async () => {
    if (process.env.REDIS_TEST_FLUSHALL === "1") {
      await client.flushall()
      return
    }
    const stream = client.scanStream({ match: `${prefix}*`, count: 1_000 })
    for await (const keys of stream as AsyncIterable<Array<string>>) {
      if (keys.length > 0) await client.unlink(...keys)
    }
  })

export const countKeys = (client: Redis, prefix: string) =>
  Effect.promise(async () => {
    let n = 0
    const stream = client.scanStream({ match: `${prefix}*`, count: 1_000 })
    for await (const keys of stream as AsyncIterable<Array<string>>) n += keys.length
    return n
  })
