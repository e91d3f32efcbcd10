import { randomUUID } from "node:crypto"
import type { PersistenceUnavailable } from "@commerce-core/domain"
import { Context, Effect, Layer, Option } from "effect"
import { RedisClient, redisScript } from "../RedisClient.js"

/** Proof of holding a lock: only the holder's token can release or extend it. */
export interface LockHandle {
  readonly name: string
  readonly token: string
}

/**
 * A lease lock across processes: SET NX PX with a random owner token. Release and extend are
 * compare-and-act scripts, so a holder whose lease ran out cannot release (or extend) the
 * lock a newer holder took. A lock is a hint for efficiency (one loader, one job runner),
 * never the guard of a correctness invariant: leases can run out under a slow holder.
 */
export class DistributedLock extends Context.Tag("@commerce-core/adapters-redis/DistributedLock")<
  DistributedLock,
  {
    readonly acquire: (
      name: string,
      leaseMillis: number,
    ) => Effect.Effect<Option.Option<LockHandle>, PersistenceUnavailable>
    /** True when this handle still held the lock and released it. */
    readonly release: (handle: LockHandle) => Effect.Effect<boolean, PersistenceUnavailable>
    /** True when this handle still held the lock and its lease now runs `leaseMillis` from now. */
    readonly extend: (handle: LockHandle, leaseMillis: number) => Effect.Effect<boolean, PersistenceUnavailable>
    /** Runs `self` holding the lock (released afterwards, whatever happens); None when it is taken. */
    readonly withLock: <A, E, R>(
      name: string,
      leaseMillis: number,
      self: Effect.Effect<A, E, R>,
    ) => Effect.Effect<Option.Option<A>, E | PersistenceUnavailable, R>
  }
>() {}

const releaseScript = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

const extendScript = redisScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`)

// PX needs a positive integer; a non-finite or non-positive lease means "as short as possible".
const lease = (ms: number) => (Number.isFinite(ms) && ms > 1 ? Math.ceil(ms) : 1)

export const DistributedLockRedis = Layer.effect(
  DistributedLock,
  Effect.gen(function* () {
    const redis = yield* RedisClient
    const lockKey = (name: string) => redis.key("lock", name)

    const acquire = (name: string, leaseMillis: number) =>
      Effect.flatMap(
        Effect.sync(() => randomUUID()),
        (token) =>
          redis
            .run("lock", (c) => c.set(lockKey(name), token, "PX", lease(leaseMillis), "NX"))
            .pipe(Effect.map((reply) => (reply === "OK" ? Option.some({ name, token }) : Option.none()))),
      )

    const release = (handle: LockHandle) =>
      Effect.map(redis.script(releaseScript, [lockKey(handle.name)], [handle.token]), (n) => n === 1)

    return DistributedLock.of({
      acquire,
      release,
      extend: (handle, leaseMillis) =>
        Effect.map(
          redis.script(extendScript, [lockKey(handle.name)], [handle.token, lease(leaseMillis)]),
          (n) => n === 1,
        ),
      withLock: (name, leaseMillis, self) =>
        Effect.acquireUseRelease(
          acquire(name, leaseMillis),
          (held) => (Option.isSome(held) ? Effect.asSome(self) : Effect.succeedNone),
          (held) => (Option.isSome(held) ? Effect.ignore(release(held.value)) : Effect.void),
        ),
    })
  }),
)
