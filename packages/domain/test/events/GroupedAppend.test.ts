import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Either, Exit, Fiber, Layer, Scope } from "effect"
import type { DomainEvent } from "../../src/events/DomainEvent.js"
import { EventOutbox } from "../../src/events/EventOutbox.js"
import { GroupedAppend, GroupedAppendLive } from "../../src/events/GroupedAppend.js"
import { PersistenceUnavailable } from "../../src/shared/DomainError.js"
import type { EventId, ProductId } from "../../src/shared/Ids.js"

const view = (n: number) =>
  ({
    _tag: "ProductViewed",
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}` as EventId,
    occurredAt: new Date(0),
    aggregateKey: `product:${n}`,
    productId: n as ProductId,
  }) as DomainEvent

/** An outbox that records each append as one batch, taking a turn of the scheduler like I/O would. */
const recordingOutbox = (failWhen: (batch: ReadonlyArray<DomainEvent>) => boolean = () => false) => {
  const batches: Array<ReadonlyArray<DomainEvent>> = []
  const layer = Layer.succeed(
    EventOutbox,
    EventOutbox.of({
      append: (events) =>
        Effect.zipRight(
          Effect.sleep("1 millis"),
          Effect.suspend(() => {
            if (failWhen(events)) return Effect.fail(new PersistenceUnavailable({ reason: "outbox down" }))
            batches.push(events)
            return Effect.void
          }),
        ),
    }),
  )
  return { batches, layer }
}

describe("GroupedAppend", () => {
  it.live("500 concurrent appends: each event stored once, in few appends of at most maxBatch", () => {
    const outbox = recordingOutbox()
    return Effect.gen(function* () {
      const grouped = yield* GroupedAppend
      yield* Effect.forEach(
        Array.from({ length: 500 }, (_, i) => view(i + 1)),
        (event) =>
          Effect.tap(grouped.append(event), () =>
            // a caller returns only once its event is in the outbox
            Effect.sync(() => expect(outbox.batches.some((batch) => batch.includes(event))).toBe(true)),
          ),
        { concurrency: "unbounded", discard: true },
      )
      const stored = outbox.batches.flat().map((event) => event.eventId)
      expect(stored).toHaveLength(500)
      expect(new Set(stored).size).toBe(500)
      expect(Math.max(...outbox.batches.map((batch) => batch.length))).toBeLessThanOrEqual(64)
      expect(outbox.batches.length).toBeLessThan(50)
    }).pipe(Effect.provide(GroupedAppendLive(64).pipe(Layer.provide(outbox.layer))))
  })

  it.live("a failed append fails exactly its own callers; the next batches still go through", () => {
    let failedOnce = false
    const outbox = recordingOutbox((batch) => {
      if (failedOnce || !batch.some((event) => event.eventId === view(1).eventId)) return false
      failedOnce = true
      return true
    })
    return Effect.gen(function* () {
      const grouped = yield* GroupedAppend
      const results = yield* Effect.forEach(
        Array.from({ length: 200 }, (_, i) => view(i + 1)),
        (event) => Effect.either(grouped.append(event)),
        { concurrency: "unbounded" },
      )
      const failed = results.flatMap((result, i) => (Either.isLeft(result) ? [view(i + 1).eventId] : []))
      const stored = outbox.batches.flat().map((event) => event.eventId)
      expect(failed.length).toBeGreaterThan(0)
      expect(failed).toContain(view(1).eventId)
      expect(new Set([...failed, ...stored]).size).toBe(200)
      expect(stored.filter((id) => failed.includes(id))).toEqual([])
    }).pipe(Effect.provide(GroupedAppendLive(16).pipe(Layer.provide(outbox.layer))))
  })

  it.live("callers still waiting when the scope closes get PersistenceUnavailable instead of hanging", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const never = Layer.succeed(EventOutbox, EventOutbox.of({ append: () => Effect.never }))
      const context = yield* Layer.buildWithScope(GroupedAppendLive(1).pipe(Layer.provide(never)), scope)
      const grouped = Context.get(context, GroupedAppend)
      // the first append is in flight (it never ends), the other two wait in the queue
      const waiting = yield* Effect.fork(
        Effect.forEach([view(1), view(2), view(3)], (event) => Effect.either(grouped.append(event)), {
          concurrency: "unbounded",
        }),
      )
      yield* Effect.sleep("10 millis")
      yield* Scope.close(scope, Exit.void)
      const results = yield* Fiber.join(waiting)
      expect(results.map((result) => Either.isLeft(result) && result.left._tag)).toEqual([
        "PersistenceUnavailable",
        "PersistenceUnavailable",
        "PersistenceUnavailable",
      ])
    }),
  )
})
