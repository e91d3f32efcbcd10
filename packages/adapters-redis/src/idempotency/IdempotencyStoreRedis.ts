import { type IdempotencyScope, IdempotencyStore } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { RedisClient, redisScript } from "../RedisClient.js"
import { completed, inProgress, parseStored } from "./IdempotencyValue.js"

// KEYS: scope. ARGV: in-progress value, lease ms. Nil when acquired, else the stored value.
const beginScript = redisScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])
`)

// KEYS: scope. ARGV: expected in-progress value, then the completed value and its retention
// ms (complete) or nothing (release). Acts only on a claim still held with that fingerprint.
const settleScript = redisScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
else
  redis.call('DEL', KEYS[1])
end
return 1
`)

// PX needs a positive integer; a non-finite or non-positive duration means "as short as possible".
const positiveMillis = (ms: number) => (Number.isFinite(ms) && ms > 1 ? Math.ceil(ms) : 1)

export const IdempotencyStoreRedis = Layer.effect(
  IdempotencyStore,
  Effect.gen(function* () {
    const redis = yield* RedisClient
    // Length-prefixed owner: any owner and key strings map to distinct Redis keys.
    const scopeKey = (scope: IdempotencyScope) => redis.key("idem", `${scope.owner.length}:${scope.owner}${scope.key}`)

    return IdempotencyStore.of({
      begin: ({ scope, fingerprint, leaseMillis }) =>
        redis.script(beginScript, [scopeKey(scope)], [inProgress(fingerprint), positiveMillis(leaseMillis)]).pipe(
          Effect.map((reply) => {
            // The key vanished between SET NX and GET only inside one script, which cannot happen.
            if (typeof reply !== "string") return { _tag: "Acquired" } as const
            const stored = parseStored(reply)
            if (stored === undefined || stored.fingerprint !== fingerprint)
              return { _tag: "FingerprintMismatch" } as const
            return stored.state === "done"
              ? ({ _tag: "Completed", result: stored.result } as const)
              : ({ _tag: "InProgress" } as const)
          }),
        ),

      complete: ({ scope, fingerprint, result, retainMillis }) =>
        redis
          .script(
            settleScript,
            [scopeKey(scope)],
            [inProgress(fingerprint), completed(fingerprint, result), positiveMillis(retainMillis)],
          )
          .pipe(Effect.asVoid),

      release: (scope, fingerprint) =>
        redis.script(settleScript, [scopeKey(scope)], [inProgress(fingerprint)]).pipe(Effect.asVoid),
    })
  }),
)
