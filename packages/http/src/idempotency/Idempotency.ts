import { createHash } from "node:crypto"
import { IdempotencyInProgress, IdempotencyKeyReused, IdempotencyStore } from "@commerce-core/domain"
import { Effect, Either, Exit } from "effect"
import { type ErrorResponse, errorResponse, fromCodedError } from "../envelope/ErrorStatus.js"

/** What a route answered: replayed verbatim for a repeated key. */
export interface Outcome {
  readonly status: number
  readonly body: unknown
  readonly replayed?: boolean
}

export interface IdempotencySettings {
  readonly leaseMillis: number
  readonly retainMillis: number
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/

/** The header's value when usable: 1 to 200 visible ASCII characters. */
export const validateKey = (header: string): Either.Either<string, ErrorResponse> =>
  KEY_PATTERN.test(header)
    ? Either.right(header)
    : Either.left(errorResponse(400, "BAD_REQUEST", "Idempotency-Key: must be 1 to 200 visible ASCII characters"))

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical)
  if (value !== null && typeof value === "object") {
    // no prototype: a "__proto__" key must stay an ordinary key of the fingerprint
    const sorted: Record<string, unknown> = Object.create(null)
    for (const key of Object.keys(value).sort()) sorted[key] = canonical((value as Record<string, unknown>)[key])
    return sorted
  }
  return value
}

/** Same operation and same JSON body (key order and spacing aside) give the same fingerprint. */
export const fingerprintOf = (method: string, path: string, body: unknown): string =>
  createHash("sha256")
    .update(`${method.toUpperCase()} ${path}\n${JSON.stringify(canonical(body)) ?? ""}`)
    .digest("base64url")

/**
 * Runs `execute` at most once per (owner, key): the first outcome is stored and replayed;
 * a different request under the key is IDEMPOTENCY_KEY_REUSED, one still running is
 * IDEMPOTENCY_IN_PROGRESS. Server failures (5xx, defects, interruption) release the key so
 * that a retry may run again; anything the client caused is kept, like a success.
 */
export const withIdempotency = <R>(
  settings: IdempotencySettings,
  request: { readonly owner: string; readonly key: string; readonly fingerprint: string },
  execute: Effect.Effect<Outcome, never, R>,
): Effect.Effect<Outcome, never, R | IdempotencyStore> =>
  Effect.gen(function* () {
    const store = yield* IdempotencyStore
    const scope = { owner: request.owner, key: request.key }
    const claim = yield* store.begin({ scope, fingerprint: request.fingerprint, leaseMillis: settings.leaseMillis })
    switch (claim._tag) {
      case "InProgress":
        return toOutcome(fromCodedError(new IdempotencyInProgress({ key: request.key })))
      case "FingerprintMismatch":
        return toOutcome(fromCodedError(new IdempotencyKeyReused({ key: request.key })))
      case "Completed": {
        const stored = JSON.parse(claim.result) as Outcome
        return { status: stored.status, body: stored.body, replayed: true }
      }
      case "Acquired":
        return yield* execute.pipe(
          Effect.onExit((exit) =>
            Exit.isSuccess(exit) && exit.value.status < 500
              ? store
                  .complete({
                    scope,
                    fingerprint: request.fingerprint,
                    result: JSON.stringify({ status: exit.value.status, body: exit.value.body }),
                    retainMillis: settings.retainMillis,
                  })
                  .pipe(Effect.ignoreLogged)
              : store.release(scope, request.fingerprint).pipe(Effect.ignoreLogged),
          ),
        )
    }
  }).pipe(Effect.catchTag("PersistenceUnavailable", (error) => Effect.succeed(toOutcome(fromCodedError(error)))))

const toOutcome = (response: ErrorResponse): Outcome => ({ status: response.status, body: response.body })
