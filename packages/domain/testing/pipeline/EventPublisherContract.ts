import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, type Layer } from "effect"
import * as fc from "fast-check"
import type { DomainEvent } from "../../src/events/DomainEvent.js"
import { EventPublisher } from "../../src/pipeline/EventPublisher.js"
import { EventPublishFailed } from "../../src/pipeline/PipelineErrors.js"
import { byAggregate, firstOccurrences, productViews } from "./PipelineFixtures.js"

/**
 * The far side of the publisher under test (the consumers of a topic, the in-process
 * consumers), and a switch that makes its transport refuse.
 */
export class EventPublisherProbe extends Context.Tag("@commerce-core/domain/testing/EventPublisherProbe")<
  EventPublisherProbe,
  {
    /** Events the far side has received (applied) so far, in the order received, repeats included. */
    readonly received: Effect.Effect<ReadonlyArray<DomainEvent>>
    /** While down, the transport refuses: publishing a non-empty batch must fail. */
    readonly setDown: (down: boolean) => Effect.Effect<void>
  }
>() {}

/**
 * The far side got every event of `published` unchanged, nothing else, and each aggregate's
 * events in publishing order (duplicates allowed, gaps not).
 */
const expectDeliveredInOrder = (received: ReadonlyArray<DomainEvent>, published: ReadonlyArray<DomainEvent>) => {
  const applied = firstOccurrences(received)
  const byId = (events: ReadonlyArray<DomainEvent>) => new Map(events.map((event) => [event.eventId, event]))
  expect(byId(applied)).toEqual(byId(published))
  expect(byAggregate(applied)).toEqual(byAggregate(published))
}

const publishFails = (batch: ReadonlyArray<DomainEvent>) =>
  Effect.gen(function* () {
    const publisher = yield* EventPublisher
    const error = yield* Effect.flip(publisher.publish(batch))
    expect(error).toBeInstanceOf(EventPublishFailed)
    expect(error).toMatchObject({ _tag: "EventPublishFailed", code: "EVENT_PUBLISH_FAILED", kind: "unavailable" })
  })

/**
 * What every EventPublisher must guarantee: success means the far side got the whole batch;
 * each aggregate's events reach it in publishing order; a refused batch fails with
 * EventPublishFailed after at most a prefix of it went out, so publishing it again leaves
 * consumers with duplicates, never gaps. `makeLayer` gives a fresh publisher and its probe.
 */
export const eventPublisherContract = (
  makeLayer: () => Layer.Layer<EventPublisher | EventPublisherProbe, unknown>,
  numRuns = 30,
) => {
  describe("EventPublisher contract", () => {
    it.live("publishing an empty batch succeeds and delivers nothing", () =>
      Effect.gen(function* () {
        const publisher = yield* EventPublisher
        const probe = yield* EventPublisherProbe
        yield* publisher.publish([])
        expect(yield* probe.received).toEqual([])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a successful publish delivered every event of the batch, unchanged and in order per aggregate", () =>
      Effect.gen(function* () {
        const publisher = yield* EventPublisher
        const probe = yield* EventPublisherProbe
        const batch = yield* productViews([1, 2, 1, 3, 2, 1])
        yield* publisher.publish(batch)
        expectDeliveredInOrder(yield* probe.received, batch)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("batches published one after another keep each aggregate's order across batches", () =>
      Effect.gen(function* () {
        const publisher = yield* EventPublisher
        const probe = yield* EventPublisherProbe
        const batches = [yield* productViews([1, 2]), yield* productViews([2, 1, 1]), yield* productViews([3, 1])]
        for (const batch of batches) yield* publisher.publish(batch)
        expectDeliveredInOrder(yield* probe.received, batches.flat())
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live(
      "a refused batch fails with EventPublishFailed, delivered at most a prefix, and can be published again",
      () =>
        Effect.gen(function* () {
          const publisher = yield* EventPublisher
          const probe = yield* EventPublisherProbe
          const batch = yield* productViews([1, 2, 1, 2, 3])
          yield* probe.setDown(true)
          yield* publishFails(batch)
          const partial = firstOccurrences(yield* probe.received)
          expect(partial).toEqual(batch.slice(0, partial.length))
          yield* probe.setDown(false)
          yield* publisher.publish(batch)
          expectDeliveredInOrder(yield* probe.received, batch)
        }).pipe(Effect.provide(makeLayer())),
    )

    it.live("any sequence of batches, refused ones published again, reaches the far side whole and in order", () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 6 }), fc.boolean()), {
              maxLength: 8,
            }),
            (plan) =>
              Effect.runPromise(
                Effect.gen(function* () {
                  const publisher = yield* EventPublisher
                  const probe = yield* EventPublisherProbe
                  const published: Array<DomainEvent> = []
                  for (const [productIds, refusedFirst] of plan) {
                    const batch = yield* productViews(productIds)
                    if (refusedFirst) {
                      yield* probe.setDown(true)
                      yield* publishFails(batch)
                      yield* probe.setDown(false)
                    }
                    yield* publisher.publish(batch)
                    published.push(...batch)
                  }
                  expectDeliveredInOrder(yield* probe.received, published)
                }).pipe(Effect.provide(makeLayer())),
              ),
          ),
          { numRuns },
        ),
      ),
    )
  })
}
