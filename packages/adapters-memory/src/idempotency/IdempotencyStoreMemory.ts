import { type IdempotencyClaim, type IdempotencyScope, IdempotencyStore } from "@commerce-core/domain"
import { Clock, Effect, Layer } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

type Entry =
  | { readonly state: "running"; readonly fingerprint: string; readonly expiresAt: number }
  | { readonly state: "done"; readonly fingerprint: string; readonly result: string; readonly expiresAt: number }

const keyOf = (scope: IdempotencyScope) => JSON.stringify([scope.owner, scope.key])

export const IdempotencyStoreMemory = Layer.effect(
  IdempotencyStore,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const entries = db.table<string, Entry>("idempotency_keys")

    return IdempotencyStore.of({
      begin: ({ scope, fingerprint, leaseMillis }) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          db.write((tx) =>
            Effect.sync((): IdempotencyClaim => {
              const key = keyOf(scope)
              const current = tx.get(entries, key)
              if (current === undefined || current.expiresAt <= now) {
                tx.set(entries, key, { state: "running", fingerprint, expiresAt: now + leaseMillis })
                return { _tag: "Acquired" }
              }
              if (current.fingerprint !== fingerprint) return { _tag: "FingerprintMismatch" }
              return current.state === "running"
                ? { _tag: "InProgress" }
                : { _tag: "Completed", result: current.result }
            }),
          ),
        ),
      complete: ({ scope, fingerprint, result, retainMillis }) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          db.write((tx) =>
            Effect.sync(() => {
              const key = keyOf(scope)
              const current = tx.get(entries, key)
              if (current?.state !== "running" || current.fingerprint !== fingerprint) return
              tx.set(entries, key, { state: "done", fingerprint, result, expiresAt: now + retainMillis })
            }),
          ),
        ),
      release: (scope, fingerprint) =>
        db.write((tx) =>
          Effect.sync(() => {
            const key = keyOf(scope)
            const current = tx.get(entries, key)
            if (current?.state === "running" && current.fingerprint === fingerprint) tx.delete(entries, key)
          }),
        ),
    })
  }),
)
