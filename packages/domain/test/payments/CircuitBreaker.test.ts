import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Either, Fiber, TestClock } from "effect"
import * as CircuitBreaker from "../../src/payments/CircuitBreaker.js"

const boom = Effect.fail("boom" as const)
const ok = Effect.succeed("ok" as const)

const make = (threshold = 3, isFailure?: (e: string) => boolean) =>
  CircuitBreaker.make<string>({
    name: "test",
    failureThreshold: threshold,
    resetTimeout: "10 seconds",
    ...(isFailure ? { isFailure } : {}),
  })

describe("CircuitBreaker", () => {
  it.effect("opens after the threshold of consecutive failures and then fails fast without calling", () =>
    Effect.gen(function* () {
      const breaker = yield* make(3)
      let calls = 0
      const counted = Effect.suspend(() => {
        calls++
        return boom
      })
      for (let i = 0; i < 2; i++) yield* Effect.either(breaker.protect(counted))
      expect(yield* breaker.state).toBe("CLOSED")
      yield* Effect.either(breaker.protect(counted))
      expect(yield* breaker.state).toBe("OPEN")
      const rejected = yield* Effect.either(breaker.protect(counted))
      expect(calls).toBe(3)
      expect(Either.isLeft(rejected) && rejected.left).toMatchObject({ _tag: "CircuitOpen", retryAfterMillis: 10_000 })
    }),
  )

  it.effect("a success resets the count of consecutive failures", () =>
    Effect.gen(function* () {
      const breaker = yield* make(2)
      yield* Effect.either(breaker.protect(boom))
      yield* breaker.protect(ok)
      yield* Effect.either(breaker.protect(boom))
      expect(yield* breaker.state).toBe("CLOSED")
    }),
  )

  it.effect("half-opens after the reset timeout: a successful trial closes it", () =>
    Effect.gen(function* () {
      const breaker = yield* make(1)
      yield* Effect.either(breaker.protect(boom))
      yield* TestClock.adjust("9999 millis")
      const early = yield* Effect.either(breaker.protect(ok))
      expect(Either.isLeft(early) && early.left._tag).toBe("CircuitOpen")
      yield* TestClock.adjust("1 millis")
      expect(yield* breaker.protect(ok)).toBe("ok")
      expect(yield* breaker.state).toBe("CLOSED")
    }),
  )

  it.effect("a failed trial opens it again for a full reset timeout", () =>
    Effect.gen(function* () {
      const breaker = yield* make(1)
      yield* Effect.either(breaker.protect(boom))
      yield* TestClock.adjust("10 seconds")
      yield* Effect.either(breaker.protect(boom))
      expect(yield* breaker.state).toBe("OPEN")
      yield* TestClock.adjust("5 seconds")
      const rejected = yield* Effect.either(breaker.protect(ok))
      expect(Either.isLeft(rejected) && rejected.left).toMatchObject({ retryAfterMillis: 5000 })
    }),
  )

  it.effect("lets exactly one trial through while half-open", () =>
    Effect.gen(function* () {
      const breaker = yield* make(1)
      yield* Effect.either(breaker.protect(boom))
      yield* TestClock.adjust("10 seconds")
      const gate = yield* Deferred.make<void>()
      const trial = yield* Effect.fork(breaker.protect(Effect.as(Deferred.await(gate), "trial")))
      yield* Effect.yieldNow()
      expect(yield* breaker.state).toBe("HALF_OPEN")
      const others = yield* Effect.all(
        Array.from({ length: 50 }, () => Effect.either(breaker.protect(ok))),
        { concurrency: "unbounded" },
      )
      expect(others.every((r) => Either.isLeft(r))).toBe(true)
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Fiber.join(trial)).toBe("trial")
      expect(yield* breaker.state).toBe("CLOSED")
    }),
  )

  it.effect("an interrupted trial lets the next call try", () =>
    Effect.gen(function* () {
      const breaker = yield* make(1)
      yield* Effect.either(breaker.protect(boom))
      yield* TestClock.adjust("10 seconds")
      const trial = yield* Effect.fork(breaker.protect(Effect.never))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(trial)
      expect(yield* breaker.protect(ok)).toBe("ok")
    }),
  )

  it.effect("ignores failures that isFailure does not count", () =>
    Effect.gen(function* () {
      const breaker = yield* make(1, (e) => e !== "boom")
      for (let i = 0; i < 5; i++) yield* Effect.either(breaker.protect(boom))
      expect(yield* breaker.state).toBe("CLOSED")
    }),
  )

  it.effect("defects count as failures", () =>
    Effect.gen(function* () {
      const breaker = yield* make(1)
      yield* Effect.exit(breaker.protect(Effect.die("bug")))
      expect(yield* breaker.state).toBe("OPEN")
    }),
  )

  it.effect("counts exactly under hundreds of concurrent failures", () =>
    Effect.gen(function* () {
      const breaker = yield* make(100)
      let calls = 0
      const counted = Effect.suspend(() => {
        calls++
        return Effect.zipRight(Effect.yieldNow(), boom)
      })
      yield* Effect.all(
        Array.from({ length: 300 }, () => Effect.either(breaker.protect(counted))),
        { concurrency: "unbounded" },
      )
      expect(yield* breaker.state).toBe("OPEN")
      // All 300 were admitted while closed (they started before any failed); later calls are refused.
      expect(calls).toBe(300)
      const after = yield* Effect.either(breaker.protect(counted))
      expect(Either.isLeft(after) && after.left).toMatchObject({ _tag: "CircuitOpen" })
      expect(calls).toBe(300)
    }),
  )
})
