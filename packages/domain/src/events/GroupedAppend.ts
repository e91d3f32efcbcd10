import { Context, Deferred, Effect, Exit, Layer, Queue } from "effect"
import { PersistenceUnavailable } from "../shared/DomainError.js"
import type { DomainEvent } from "./DomainEvent.js"
import { EventOutbox } from "./EventOutbox.js"

/**
 * Appends events that belong to no transaction (product views: they change no state) with
 * group commit: concurrent callers' events go to the outbox together, in one append, while the
 * previous append is in flight. Each caller still returns only once its event is stored (or
 * fails with the append), so nothing is lost or reported early; what changes is that a
 * thousand views cost a SQL outbox a handful of commits instead of a thousand.
 */
export class GroupedAppend extends Context.Tag("@commerce-core/domain/GroupedAppend")<
  GroupedAppend,
  { readonly append: (event: DomainEvent) => Effect.Effect<void, PersistenceUnavailable> }
>() {}

type Waiting = readonly [DomainEvent, Deferred.Deferred<void, PersistenceUnavailable>]

const stopped = new PersistenceUnavailable({ reason: "the event appender has shut down" })

/** At most `maxBatch` events per append; one append at a time, on a fiber of the layer's scope. */
export const GroupedAppendLive = (maxBatch = 500): Layer.Layer<GroupedAppend, never, EventOutbox> =>
  Layer.scoped(
    GroupedAppend,
    Effect.gen(function* () {
      const outbox = yield* EventOutbox
      const queue = yield* Queue.unbounded<Waiting>()
      const settle = (batch: ReadonlyArray<Waiting>, exit: Exit.Exit<void, PersistenceUnavailable>) =>
        Effect.forEach(batch, ([, done]) => Deferred.done(done, exit), { discard: true })

      const appendNext = Effect.gen(function* () {
        const first = yield* Queue.take(queue)
        const rest = yield* Queue.takeUpTo(queue, maxBatch - 1)
        const batch = [first, ...rest]
        const exit = yield* Effect.exit(outbox.append(batch.map(([event]) => event))).pipe(
          Effect.onInterrupt(() => settle(batch, Exit.fail(stopped))),
        )
        yield* settle(batch, exit)
      })
      yield* Effect.forkScoped(Effect.forever(appendNext))
      // callers still waiting when the scope closes get an answer instead of hanging
      yield* Effect.addFinalizer(() =>
        Effect.flatMap(Queue.takeAll(queue), (left) => settle([...left], Exit.fail(stopped))),
      )

      return GroupedAppend.of({
        append: (event) =>
          Effect.flatMap(Deferred.make<void, PersistenceUnavailable>(), (done) =>
            Effect.zipRight(Queue.offer(queue, [event, done]), Deferred.await(done)),
          ),
      })
    }),
  )
