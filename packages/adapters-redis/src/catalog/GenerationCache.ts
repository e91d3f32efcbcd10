import { randomInt } from "node:crypto"
import type { PersistenceUnavailable } from "@commerce-core/domain"
import { Effect, Either, Option } from "effect"
import { type RedisConnection, redisScript } from "../RedisClient.js"
import { makeSingleFlight } from "../SingleFlight.js"

/**
 * Cache-aside under a generation per scope (one product, or all listings), safe against the
 * classic race in which a reader loads a row, a writer commits and deletes the key, and the
 * reader then stores the row it loaded before the commit.
 *
 * - Values live at `{scope}:{gen}:{item}`; readers read the generation and the value in one
 *   script. Invalidating a scope increments its generation, so every value filled under the
 *   old one becomes unreachable at once, and a fill carries the generation its reader saw
 *   and is dropped when the generation moved meanwhile.
 * - A write through the decorators runs inside the caller's transaction, before its commit.
 *   It also sets a short hold on the scope: while held, readers go to the store and fill
 *   nothing, so no row read before the commit can be cached under the new generation. The
 *   post-commit event consumer invalidates once more (without a hold), which repairs a
 *   transaction that outlived the hold and writes made by other processes.
 * - Generations never go back: a lost generation key is recreated at a random value, so a
 *   value of an old generation cannot become reachable again.
 * - The generation key lives longer than any value and is refreshed with every fill.
 *
 * Scopes are written `{...}` (a Redis Cluster hash tag), so a scope's keys share one slot.
 */
export interface GenerationCacheOptions {
  readonly ttlMillis: number
  /** Each fill lives ttl x (1 + a random fraction up to jitterRatio), so keys do not expire together. */
  readonly jitterRatio: number
  readonly holdMillis: number
}

const GEN_TTL_MILLIS = 7 * 24 * 60 * 60 * 1000

// KEYS: gen, hold. ARGV: scope, item. {state, gen, value}.
const lookupScript = redisScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return {'HOLD'} end
local g = redis.call('GET', KEYS[1])
if not g then return {'MISS', ''} end
local v = redis.call('GET', ARGV[1] .. ':' .. g .. ':' .. ARGV[2])
if v then return {'HIT', g, v} end
return {'MISS', g}
`)

// The lookup for n entries. KEYS: gen, hold of each. ARGV: scope, item of each. The n replies.
// It reads keys of several scopes, so it needs a single Redis, not a Cluster (like MGET).
const lookupManyScript = redisScript(`
local out = {}
for i = 1, #KEYS, 2 do
  local reply
  if redis.call('EXISTS', KEYS[i + 1]) == 1 then
    reply = {'HOLD'}
  else
    local g = redis.call('GET', KEYS[i])
    if not g then
      reply = {'MISS', ''}
    else
      local v = redis.call('GET', ARGV[i] .. ':' .. g .. ':' .. ARGV[i + 1])
      if v then reply = {'HIT', g, v} else reply = {'MISS', g} end
    end
  end
  out[#out + 1] = reply
end
return out
`)

// KEYS: gen, hold. ARGV: scope, item, gen seen ('' = none), fresh gen, value, ttl ms, gen ttl ms.
const fillScript = redisScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local g = redis.call('GET', KEYS[1])
if ARGV[3] == '' then
  if g then return 0 end
  g = ARGV[4]
elseif g ~= ARGV[3] then
  return 0
end
redis.call('SET', KEYS[1], g, 'PX', ARGV[7])
redis.call('SET', ARGV[1] .. ':' .. g .. ':' .. ARGV[2], ARGV[5], 'PX', ARGV[6])
return 1
`)

// KEYS: gen, hold. ARGV: hold ms ('0' = none), fresh gen, gen ttl ms.
const invalidateScript = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('INCR', KEYS[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
if ARGV[1] ~= '0' then redis.call('SET', KEYS[2], '1', 'PX', ARGV[1]) end
return 1
`)

// Far from any generation reached by increments; 2^48 keeps INCR inside a 64-bit integer.
const freshGeneration = () => String(randomInt(2 ** 40, 2 ** 48))

export interface CacheCodec<A> {
  readonly encode: (a: A) => string
  readonly decode: (s: string) => Option.Option<A>
}

/** One value to read: `item` of `scope`, and how to load it on a miss. */
export interface CacheEntry<A, E> {
  readonly scope: string
  readonly item: string
  readonly load: Effect.Effect<Option.Option<A>, E>
}

export interface GenerationCache {
  /**
   * The cached value of `item` in `scope`, else `load`'s result (filled when it is Some and
   * the scope is not held). One load per scope, generation and item runs at a time in this
   * process. Redis failures fall back to `load`.
   */
  readonly get: <A, E>(
    scope: string,
    item: string,
    load: Effect.Effect<Option.Option<A>, E>,
    codec: CacheCodec<A>,
  ) => Effect.Effect<Option.Option<A>, E>
  /**
   * `get` for many entries, in order: one script looks them all up, and hits cost no fiber of
   * their own; only misses load (concurrently). Needs a single Redis, not a Cluster.
   */
  readonly getMany: <A, E>(
    entries: ReadonlyArray<CacheEntry<A, E>>,
    codec: CacheCodec<A>,
  ) => Effect.Effect<ReadonlyArray<Option.Option<A>>, E>
  /** New generation for the scope; `hold` keeps readers off the cache for holdMillis. */
  readonly invalidate: (scope: string, hold: boolean) => Effect.Effect<void, PersistenceUnavailable>
}

export const makeGenerationCache = (redis: RedisConnection, options: GenerationCacheOptions): GenerationCache => {
  const flights = makeSingleFlight()
  const keysOf = (scope: string) => [redis.key(scope, "gen"), redis.key(scope, "hold")]
  const ttl = () => Math.max(1, Math.round(options.ttlMillis * (1 + Math.random() * options.jitterRatio)))

  /** The decoded value of a hit, else the effect that loads it (and fills the cache when it may). */
  const resolve = <A, E>(
    reply: unknown,
    scope: string,
    item: string,
    load: Effect.Effect<Option.Option<A>, E>,
    codec: CacheCodec<A>,
  ): Option.Option<A> | Effect.Effect<Option.Option<A>, E> => {
    const [state, gen, value] = reply as [string, string?, string?]
    if (state === "HOLD") return load
    if (state === "HIT" && value !== undefined) {
      const decoded = codec.decode(value)
      if (Option.isSome(decoded)) return decoded
    }
    const seen = gen ?? ""
    return flights.run(
      `${scope}|${seen}|${item}`,
      Effect.tap(load, (loaded) =>
        Option.isNone(loaded)
          ? Effect.void
          : Effect.ignore(
              redis.script(fillScript, keysOf(scope), [
                redis.key(scope),
                item,
                seen,
                freshGeneration(),
                codec.encode(loaded.value),
                ttl(),
                GEN_TTL_MILLIS,
              ]),
            ),
      ),
    )
  }

  const get: GenerationCache["get"] = (scope, item, load, codec) =>
    Effect.flatMap(Effect.either(redis.script(lookupScript, keysOf(scope), [redis.key(scope), item])), (found) => {
      if (found._tag === "Left") return load
      const resolved = resolve(found.right, scope, item, load, codec)
      return Option.isOption(resolved) ? Effect.succeed(resolved) : resolved
    })

  const getMany: GenerationCache["getMany"] = <A, E>(entries: ReadonlyArray<CacheEntry<A, E>>, codec: CacheCodec<A>) =>
    Effect.flatMap(
      entries.length === 0
        ? Effect.succeed(Either.right([]))
        : Effect.either(
            redis.script(
              lookupManyScript,
              entries.flatMap((e) => keysOf(e.scope)),
              entries.flatMap((e) => [redis.key(e.scope), e.item]),
            ),
          ),
      (found): Effect.Effect<ReadonlyArray<Option.Option<A>>, E> => {
        if (found._tag === "Left") return Effect.forEach(entries, (e) => e.load, { concurrency: "unbounded" })
        const replies = found.right as ReadonlyArray<unknown>
        const out: Array<Option.Option<A>> = []
        const misses: Array<[number, Effect.Effect<Option.Option<A>, E>]> = []
        entries.forEach((e, i) => {
          const resolved = resolve(replies[i], e.scope, e.item, e.load, codec)
          if (Option.isOption(resolved)) out[i] = resolved
          else misses.push([i, resolved])
        })
        if (misses.length === 0) return Effect.succeed(out)
        return Effect.as(
          Effect.forEach(
            misses,
            ([i, load]) =>
              Effect.map(load, (a) => {
                out[i] = a
              }),
            {
              concurrency: "unbounded",
              discard: true,
            },
          ),
          out,
        )
      },
    )

  return {
    get,
    getMany,
    invalidate: (scope, hold) =>
      Effect.asVoid(
        redis.script(invalidateScript, keysOf(scope), [
          hold && options.holdMillis > 0 ? Math.ceil(options.holdMillis) : 0,
          freshGeneration(),
          GEN_TTL_MILLIS,
        ]),
      ),
  }
}
