import { Cause, Clock, Duration, Effect, Exit, Ref } from "effect"
import { CircuitOpen } from "./PaymentErrors.js"

/**
 * A circuit breaker: Effect 3 ships retries and timeouts but no breaker. CLOSED counts
 * consecutive failures and opens at `failureThreshold`; OPEN fails fast with `CircuitOpen`
 * until `resetTimeout` has passed; then HALF_OPEN lets exactly one trial call through, whose
 * success closes the circuit and whose failure opens it again. Time comes from `Clock`.
 */
export type CircuitState =
  | { readonly _tag: "Closed"; readonly failures: number }
  | { readonly _tag: "Open"; readonly openedAt: number }
  | { readonly _tag: "HalfOpen"; readonly trialInFlight: boolean }

export type CircuitStateName = "CLOSED" | "OPEN" | "HALF_OPEN"

export interface CircuitBreakerOptions<E> {
  readonly name: string
  readonly failureThreshold: number
  readonly resetTimeout: Duration.DurationInput
  /** Which failures count against the circuit; all of them by default. */
  readonly isFailure?: (error: E) => boolean
}

export interface CircuitBreaker<E> {
  readonly protect: <A, E1 extends E, R>(self: Effect.Effect<A, E1, R>) => Effect.Effect<A, E1 | CircuitOpen, R>
  readonly state: Effect.Effect<CircuitStateName>
}

const stateName = (state: CircuitState): CircuitStateName =>
  state._tag === "Closed" ? "CLOSED" : state._tag === "Open" ? "OPEN" : "HALF_OPEN"

type Permit =
  | { readonly _tag: "Allowed"; readonly trial: boolean }
  | { readonly _tag: "Rejected"; readonly retryAfter: number }

export const make = <E = unknown>(options: CircuitBreakerOptions<E>): Effect.Effect<CircuitBreaker<E>> =>
  Effect.gen(function* () {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      return yield* Effect.dieMessage(`failureThreshold must be a positive integer, got ${options.failureThreshold}`)
    }
    const resetMillis = Duration.toMillis(Duration.decode(options.resetTimeout))
    const ref = yield* Ref.make<CircuitState>({ _tag: "Closed", failures: 0 })
    const counts = (cause: Cause.Cause<unknown>) => {
      const failure = Cause.failureOption(cause)
      if (failure._tag === "Some") return options.isFailure ? options.isFailure(failure.value as E) : true
      return !Cause.isInterruptedOnly(cause)
    }

    const acquire = (now: number) =>
      Ref.modify(ref, (state): [Permit, CircuitState] => {
        switch (state._tag) {
          case "Closed":
            return [{ _tag: "Allowed", trial: false }, state]
          case "Open": {
            const elapsed = now - state.openedAt
            if (elapsed >= resetMillis)
              return [
                { _tag: "Allowed", trial: true },
                { _tag: "HalfOpen", trialInFlight: true },
              ]
            return [{ _tag: "Rejected", retryAfter: resetMillis - elapsed }, state]
          }
          case "HalfOpen":
            if (state.trialInFlight) return [{ _tag: "Rejected", retryAfter: 0 }, state]
            return [
              { _tag: "Allowed", trial: true },
              { _tag: "HalfOpen", trialInFlight: true },
            ]
        }
      })

    const record = (trial: boolean, exit: Exit.Exit<unknown, unknown>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.update(ref, (state): CircuitState => {
          if (Exit.isSuccess(exit)) return { _tag: "Closed", failures: 0 }
          if (!counts(exit.cause)) {
            // An interrupted or ignored trial proves nothing: let the next call try again.
            return trial ? { _tag: "HalfOpen", trialInFlight: false } : state
          }
          if (trial) return { _tag: "Open", openedAt: now }
          if (state._tag !== "Closed") return state
          const failures = state.failures + 1
          return failures >= options.failureThreshold ? { _tag: "Open", openedAt: now } : { _tag: "Closed", failures }
        }),
      )

    const protect = <A, E1 extends E, R>(self: Effect.Effect<A, E1, R>): Effect.Effect<A, E1 | CircuitOpen, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.flatMap(
            acquire(now),
            (permit): Effect.Effect<A, E1 | CircuitOpen, R> =>
              permit._tag === "Rejected"
                ? Effect.fail(new CircuitOpen({ name: options.name, retryAfterMillis: permit.retryAfter }))
                : Effect.onExit(restore(self), (exit) => record(permit.trial, exit)),
          ),
        ),
      )

    return { protect, state: Effect.map(Ref.get(ref), stateName) }
  })
