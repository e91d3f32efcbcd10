import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Redacted } from "effect"
import { DEFAULT_KEY_PREFIX, RedisConfig } from "../src/index.js"

const load = (env: Record<string, string>) =>
  Effect.either(Effect.withConfigProvider(RedisConfig, ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("RedisConfig", () => {
  it.effect("reads REDIS_URL (kept redacted) and defaults the key prefix", () =>
    Effect.gen(function* () {
      const config = Either.getOrThrow(yield* load({ REDIS_URL: "redis://127.0.0.1:6379/0" }))
      expect(config.keyPrefix).toBe(DEFAULT_KEY_PREFIX)
      expect(Redacted.isRedacted(config.url)).toBe(true)
      expect(Redacted.value(config.url as Redacted.Redacted<string>)).toBe("redis://127.0.0.1:6379/0")
      expect(String(config.url)).not.toContain("6379")
    }),
  )

  it.effect("takes REDIS_KEY_PREFIX", () =>
    Effect.gen(function* () {
      const config = Either.getOrThrow(yield* load({ REDIS_URL: "rediss://cache:6380", REDIS_KEY_PREFIX: "shop-a:" }))
      expect(config.keyPrefix).toBe("shop-a:")
    }),
  )

  it.effect("fails with a ConfigError naming the variable for a missing or foreign URL and an oversized prefix", () =>
    Effect.gen(function* () {
      const missing = yield* load({})
      const foreign = yield* load({ REDIS_URL: "http://127.0.0.1:6379" })
      const long = yield* load({ REDIS_URL: "redis://x", REDIS_KEY_PREFIX: "p".repeat(201) })
      expect(Either.isLeft(missing) && String(missing.left)).toContain("REDIS_URL")
      expect(Either.isLeft(foreign) && String(foreign.left)).toContain("redis://")
      expect(Either.isLeft(long) && String(long.left)).toContain("REDIS_KEY_PREFIX")
    }),
  )
})
