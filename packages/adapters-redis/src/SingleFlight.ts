import { Cause, Deferred, Effect } from "effect"

/**
 * At most one run of a loader per key in this process: callers that arrive while a run is
 * in flight wait for its result instead of starting their own (stampede protection). A
 * run that is interrupted does not take its waiters down: they start again.
 */
export interface SingleFlight {
  readonly run: <A, E>(key: string, load: Effect.Effect<A, E>) => Effect.Effect<A, E>
  /** Keys with a run in flight (for tests and metrics). */
  readonly inFlight: () => number
}

export const makeSingleFlight = (): SingleFlight => {
  const flights = new Map<string, Deferred.Deferred<unknown, unknown>>()

  const run = <A, E>(key: string, load: Effect.Effect<A, E>): Effect.Effect<A, E> =>
    Effect.suspend(() => {
      const existing = flights.get(key) as Deferred.Deferred<A, E> | undefined
      if (existing !== undefined) {
        return Deferred.await(existing).pipe(
          Effect.catchAllCause((cause) => (Cause.isInterruptedOnly(cause) ? run(key, load) : Effect.failCause(cause))),
        )
      }
      return Effect.flatMap(Deferred.make<A, E>(), (deferred) => {
        flights.set(key, deferred as Deferred.Deferred<unknown, unknown>)
        return load.pipe(
          Effect.onExit((exit) =>
            Effect.suspend(() => {
              if (flights.get(key) === deferred) flights.delete(key)
              return Deferred.done(deferred, exit)
            }),
          ),
        )
      })
    })

  return { run, inFlight: () => flights.size }
}
