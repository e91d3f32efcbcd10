import { Context, type Effect, Schema } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"

/**
 * Who used a key: keys are private to a user, so two users may send the same key without
 * seeing each other's results.
 */
export const IdempotencyScope = Schema.Struct({
  owner: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
  key: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
})
export type IdempotencyScope = typeof IdempotencyScope.Type

/** What `begin` found for a scope. */
export type IdempotencyClaim =
  /** Nobody holds the key (or its lease ran out): the caller runs the request, then completes or releases. */
  | { readonly _tag: "Acquired" }
  /** The same request is still running elsewhere. */
  | { readonly _tag: "InProgress" }
  /** The same request finished: replay its stored result. */
  | { readonly _tag: "Completed"; readonly result: string }
  /** The key was used for a different request (another fingerprint). */
  | { readonly _tag: "FingerprintMismatch" }

export interface BeginInput {
  readonly scope: IdempotencyScope
  /** A digest of everything that makes the request what it is (operation and body). */
  readonly fingerprint: string
  /** How long the claim blocks others before it is considered abandoned (a crashed holder). */
  readonly leaseMillis: number
}

export interface CompleteInput {
  readonly scope: IdempotencyScope
  readonly fingerprint: string
  /** Opaque to the store: the transport serialises what it needs to replay. */
  readonly result: string
  /** How long the result is kept for replay. */
  readonly retainMillis: number
}

/**
 * Remembers the outcome of requests sent with an idempotency key. `begin` is one atomic
 * step (SQL `INSERT ... ON DUPLICATE KEY`, Redis `SET NX`): of any number of concurrent
 * callers with the same scope exactly one is `Acquired`. `complete` and `release` only
 * act on a claim still held with the same fingerprint, so a late holder whose lease ran
 * out cannot overwrite a newer claim's result.
 */
export class IdempotencyStore extends Context.Tag("@commerce-core/domain/IdempotencyStore")<
  IdempotencyStore,
  {
    readonly begin: (input: BeginInput) => Effect.Effect<IdempotencyClaim, PersistenceUnavailable>
    readonly complete: (input: CompleteInput) => Effect.Effect<void, PersistenceUnavailable>
    /** Drops an in-progress claim (the request failed in a way worth retrying). */
    readonly release: (scope: IdempotencyScope, fingerprint: string) => Effect.Effect<void, PersistenceUnavailable>
  }
>() {}
