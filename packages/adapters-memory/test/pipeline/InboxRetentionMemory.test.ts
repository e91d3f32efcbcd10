import { drainOutbox, EventInbox } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, TestClock } from "effect"
import { purgeHandledEvents } from "../../src/pipeline/InboxRetentionMemory.js"
import { InProcessPipelineMemory } from "../../src/pipeline/InProcessPipeline.js"
import { exactlyOnce, makeCountingConsumer } from "./ConsumerFixtures.js"
import { appendInTransaction, memoryBase } from "./TestLayers.js"

const HOUR = 60 * 60 * 1000

describe("purgeHandledEvents (memory inbox retention)", () => {
  it.scoped("deletes rows handled before the cutoff, keeps later ones and those of events still pending", () =>
    Effect.gen(function* () {
      const ranking = yield* makeCountingConsumer("ranking")
      const metrics = yield* makeCountingConsumer("metrics")
      const pipeline = yield* Layer.build(InProcessPipelineMemory([ranking.consumer, metrics.consumer]))
      const inbox = yield* Effect.provide(EventInbox, pipeline)

      const early = yield* appendInTransaction([1, 2])
      yield* Effect.provide(drainOutbox, pipeline)
      yield* TestClock.adjust("1 hour")
      const late = yield* appendInTransaction([3])
      yield* Effect.provide(drainOutbox, pipeline)
      // "metrics" fails on the next event, so it stays pending in the outbox while "ranking" has handled it.
      metrics.plan.failures = 1
      const stuck = yield* appendInTransaction([4])
      expect(Exit.isFailure(yield* Effect.exit(Effect.provide(drainOutbox, pipeline)))).toBe(true)
      const handled = (consumer: string, events: ReadonlyArray<{ readonly eventId: string }>) =>
        Effect.forEach(events, (e) => inbox.isHandled(consumer, e.eventId as never))
      expect(yield* handled("ranking", stuck)).toEqual([true])

      // Everything before the cutoff goes except the stuck event's row; rows at or after it stay.
      expect(yield* purgeHandledEvents(new Date(HOUR))).toBe(2 * early.length)
      expect(yield* handled("ranking", early)).toEqual([false, false])
      expect(yield* handled("metrics", early)).toEqual([false, false])
      expect(yield* handled("ranking", late)).toEqual([true])
      expect(yield* purgeHandledEvents(new Date(10 * HOUR))).toBe(2 * late.length)
      expect(yield* handled("ranking", stuck)).toEqual([true])

      // The stuck event is redelivered: the consumer that handled it does not handle it again.
      yield* Effect.provide(drainOutbox, pipeline)
      const ids = [...early, ...late, ...stuck].map((e) => e.eventId)
      expect(yield* ranking.counts).toEqual(exactlyOnce(ids))
      expect(yield* purgeHandledEvents(new Date(10 * HOUR))).toBe(2 * stuck.length)
    }).pipe(Effect.provide(memoryBase())),
  )
})
