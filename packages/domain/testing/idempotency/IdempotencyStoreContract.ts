import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"
import * as fc from "fast-check"
import { IdempotencyStore } from "../../src/idempotency/IdempotencyStore.js"

const LONG = 60_000

/**
 * The behaviour every IdempotencyStore adapter must show. Timing tests use real time
 * (`it.live`) with short leases so that stores whose clock is the server's (Redis, MySQL)
 * pass the same suite.
 */
export const idempotencyStoreContract = (makeLayer: () => Layer.Layer<IdempotencyStore, unknown>) => {
  const scope = (owner: string, key: string) => ({ owner, key })

  describe("IdempotencyStore contract", () => {
    it.live("acquires a fresh key once; the same request is in progress until it completes", () =>
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        const s = scope("user-1", "k1")
        expect(yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })).toEqual({ _tag: "Acquired" })
        expect(yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })).toEqual({ _tag: "InProgress" })
        yield* store.complete({ scope: s, fingerprint: "f1", result: "R1", retainMillis: LONG })
        expect(yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })).toEqual({
          _tag: "Completed",
          result: "R1",
        })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("reports a different fingerprint under a used key, running or completed", () =>
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        const s = scope("user-1", "k2")
        yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })
        expect(yield* store.begin({ scope: s, fingerprint: "f2", leaseMillis: LONG })).toEqual({
          _tag: "FingerprintMismatch",
        })
        yield* store.complete({ scope: s, fingerprint: "f1", result: "R1", retainMillis: LONG })
        expect(yield* store.begin({ scope: s, fingerprint: "f2", leaseMillis: LONG })).toEqual({
          _tag: "FingerprintMismatch",
        })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("keeps keys private to their owner", () =>
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        yield* store.begin({ scope: scope("alice", "same"), fingerprint: "f1", leaseMillis: LONG })
        expect(yield* store.begin({ scope: scope("bob", "same"), fingerprint: "f2", leaseMillis: LONG })).toEqual({
          _tag: "Acquired",
        })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("release frees the key; release and complete with another fingerprint change nothing", () =>
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        const s = scope("user-1", "k3")
        yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })
        yield* store.release(s, "other")
        yield* store.complete({ scope: s, fingerprint: "other", result: "X", retainMillis: LONG })
        expect(yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })).toEqual({ _tag: "InProgress" })
        yield* store.release(s, "f1")
        expect(yield* store.begin({ scope: s, fingerprint: "f2", leaseMillis: LONG })).toEqual({ _tag: "Acquired" })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a completed result cannot be released away", () =>
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        const s = scope("user-1", "k4")
        yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })
        yield* store.complete({ scope: s, fingerprint: "f1", result: "R", retainMillis: LONG })
        yield* store.release(s, "f1")
        expect(yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })).toEqual({
          _tag: "Completed",
          result: "R",
        })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("an abandoned claim can be taken over once its lease runs out", () =>
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        const s = scope("user-1", "k5")
        yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: 1_000 })
        expect(yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: 1_000 })).toEqual({ _tag: "InProgress" })
        yield* Effect.sleep("1100 millis")
        expect(yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })).toEqual({ _tag: "Acquired" })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a stored result is forgotten after its retention", () =>
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        const s = scope("user-1", "k6")
        yield* store.begin({ scope: s, fingerprint: "f1", leaseMillis: LONG })
        yield* store.complete({ scope: s, fingerprint: "f1", result: "R", retainMillis: 1_000 })
        yield* Effect.sleep("1100 millis")
        expect(yield* store.begin({ scope: s, fingerprint: "f2", leaseMillis: LONG })).toEqual({ _tag: "Acquired" })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("of 300 concurrent claims of one key exactly one is acquired", () =>
      Effect.gen(function* () {
        const store = yield* IdempotencyStore
        const s = scope("user-1", "race")
        const claims = yield* Effect.all(
          Array.from({ length: 300 }, () => store.begin({ scope: s, fingerprint: "f", leaseMillis: LONG })),
          { concurrency: "unbounded" },
        )
        expect(claims.filter((c) => c._tag === "Acquired")).toHaveLength(1)
        expect(claims.filter((c) => c._tag === "InProgress")).toHaveLength(299)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("replays each scope's own result (property)", () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.uniqueArray(
              fc.record({
                owner: fc.string({ minLength: 1, maxLength: 20 }),
                key: fc.string({ minLength: 1, maxLength: 40 }),
                result: fc.string({ maxLength: 100 }),
              }),
              { selector: (r) => JSON.stringify([r.owner, r.key]), minLength: 1, maxLength: 15 },
            ),
            (requests) =>
              Effect.runPromise(
                Effect.gen(function* () {
                  const store = yield* IdempotencyStore
                  for (const r of requests) {
                    const s = scope(r.owner, r.key)
                    expect(yield* store.begin({ scope: s, fingerprint: "f", leaseMillis: LONG })).toEqual({
                      _tag: "Acquired",
                    })
                    yield* store.complete({ scope: s, fingerprint: "f", result: r.result, retainMillis: LONG })
                  }
                  for (const r of requests) {
                    const claim = yield* store.begin({
                      scope: scope(r.owner, r.key),
                      fingerprint: "f",
                      leaseMillis: LONG,
                    })
                    expect(claim).toEqual({ _tag: "Completed", result: r.result })
                  }
                }).pipe(Effect.provide(makeLayer())),
              ),
          ),
          { numRuns: 30 },
        ),
      ),
    )
  })
}
