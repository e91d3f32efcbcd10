import { expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { DistributedLock, DistributedLockRedis } from "../src/index.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"

describeRedis("DistributedLockRedis", () => {
  const redis = useTestRedis()
  const fresh = () => DistributedLockRedis.pipe(Layer.provide(redis.fresh()))

  it.live("one holder at a time; a non-owner cannot release or extend it", () =>
    Effect.gen(function* () {
      const lock = yield* DistributedLock
      const held = Option.getOrThrow(yield* lock.acquire("job", 60_000))
      expect(yield* lock.acquire("job", 60_000)).toEqual(Option.none())
      const impostor = { name: "job", token: "not-the-owner" }
      expect(yield* lock.release(impostor)).toBe(false)
      expect(yield* lock.extend(impostor, 60_000)).toBe(false)
      expect(yield* lock.acquire("job", 60_000)).toEqual(Option.none())
      expect(yield* lock.release(held)).toBe(true)
      expect(yield* lock.release(held)).toBe(false)
      expect(Option.isSome(yield* lock.acquire("job", 60_000))).toBe(true)
    }).pipe(Effect.provide(fresh())),
  )

  it.live("expiry frees the lock, and the late holder cannot release the new one", () =>
    Effect.gen(function* () {
      const lock = yield* DistributedLock
      const first = Option.getOrThrow(yield* lock.acquire("job", 100))
      yield* Effect.sleep(150)
      const second = Option.getOrThrow(yield* lock.acquire("job", 60_000))
      expect(yield* lock.release(first)).toBe(false)
      expect(yield* lock.acquire("job", 60_000)).toEqual(Option.none())
      expect(yield* lock.release(second)).toBe(true)
    }).pipe(Effect.provide(fresh())),
  )

  it.live("extend keeps a live lease alive past its first expiry", () =>
    Effect.gen(function* () {
      const lock = yield* DistributedLock
      const held = Option.getOrThrow(yield* lock.acquire("job", 150))
      expect(yield* lock.extend(held, 60_000)).toBe(true)
      yield* Effect.sleep(200)
      expect(yield* lock.acquire("job", 60_000)).toEqual(Option.none())
    }).pipe(Effect.provide(fresh())),
  )

  it.live("of 300 concurrent acquirers exactly one wins; withLock releases even on failure", () =>
    Effect.gen(function* () {
      const lock = yield* DistributedLock
      const results = yield* Effect.all(
        Array.from({ length: 300 }, () => lock.acquire("race", 60_000)),
        { concurrency: "unbounded" },
      )
      expect(results.filter(Option.isSome)).toHaveLength(1)
      const failed = yield* Effect.flip(lock.withLock("guarded", 60_000, Effect.fail("boom" as const)))
      expect(failed).toBe("boom")
      expect(yield* lock.withLock("guarded", 60_000, Effect.succeed(42))).toEqual(Option.some(42))
      // While held by someone else, withLock does not run its effect.
      const other = Option.getOrThrow(yield* lock.acquire("guarded", 60_000))
      let ran = false
      expect(
        yield* lock.withLock(
          "guarded",
          60_000,
          Effect.sync(() => (ran = true)),
        ),
      ).toEqual(Option.none())
      expect(ran).toBe(false)
      yield* lock.release(other)
    }).pipe(Effect.provide(fresh())),
  )
})
