import { Effect, type Exit, FiberRef, FiberRefs, HashMap, type ManagedRuntime } from "effect"

export type EffectRunner<R> = <A>(
  effect: Effect.Effect<A, unknown, R>,
  requestId: string,
) => Promise<Exit.Exit<A, unknown>>

/**
 * Runs a request's effect with `requestId` among its log annotations. The annotation is written
 * into the fiber's initial FiberRefs instead of wrapping the effect in `Effect.annotateLogs`,
 * whose acquire-and-restore of the FiberRef cost more than the rest of a cheap request's
 * runtime entry. Until the runtime has been built once (and after `reset`), ManagedRuntime
 * replaces the fiber's refs with the built runtime's, so those runs annotate the usual way.
 */
export const makeEffectRunner = <R, ER>(runtime: ManagedRuntime.ManagedRuntime<R, ER>) => {
  let built = false
  const run: EffectRunner<R> = (effect, requestId) => {
    if (!built) {
      return runtime.runPromiseExit(Effect.annotateLogs(effect, "requestId", requestId)).then((exit) => {
        built = true
        return exit
      })
    }
    const fiber = runtime.runFork(effect, {
      updateRefs: (refs, fiberId) =>
        FiberRefs.updateAs(refs, {
          fiberId,
          fiberRef: FiberRef.currentLogAnnotations,
          value: HashMap.set(FiberRefs.getOrDefault(refs, FiberRef.currentLogAnnotations), "requestId", requestId),
        }),
    })
    return new Promise((resolve) => fiber.addObserver(resolve))
  }
  return {
    run,
    /** Back to annotating the usual way: the runtime is being disposed. */
    reset: () => {
      built = false
    },
  }
}
