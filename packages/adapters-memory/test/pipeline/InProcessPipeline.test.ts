import {
  ConsumerRunner,
  drainOutbox,
  EventInbox,
  EventPublisher,
  OutboxRelayDaemon,
  OutboxRelaySettings,
} from "@commerce-core/domain"
import { byAggregate } from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Logger, LogLevel, Schedule } from "effect"
import { InProcessPipelineMemory } from "../../src/pipeline/InProcessPipeline.js"
import { exactlyOnce, makeCountingConsumer } from "./ConsumerFixtures.js"
import { appendInTransaction, committedEvents, memoryBase } from "./TestLayers.js"

const setup = (...names: Array<string>) =>
  Effect.gen(function* () {
    const consumers = yield* Effect.forEach(names, makeCountingConsumer)
    const pipeline = yield* Layer.build(InProcessPipelineMemory(consumers.map((c) => c.consumer)))
    return { consumers, pipeline }
  })

const idsOf = (events: ReadonlyArray<{ readonly eventId: string }>) => events.map((event) => event.eventId)

describe("In-process pipeline", () => {
  it.scoped("append, drain, read: every consumer applied each committed event once, in order per aggregate", () =>
    Effect.gen(function* () {
      const { consumers, pipeline } = yield* setup("ranking", "metrics")
      yield* appendInTransaction([1, 2, 1])
      yield* appendInTransaction([3, 3], true)
      yield* appendInTransaction([2, 1, 4])
      const committed = yield* committedEvents
      expect(committed).toHaveLength(6)
      expect(yield* Effect.provide(drainOutbox, pipeline)).toBe(6)
      for (const c of consumers) {
        expect(yield* c.counts).toEqual(exactlyOnce(idsOf(committed)))
        expect(byAggregate(c.applied)).toEqual(byAggregate(committed))
      }
      expect(yield* Effect.provide(drainOutbox, pipeline)).toBe(0)
    }).pipe(Effect.provide(memoryBase())),
  )

  it.scoped("a repeated publish (producer retry) is handled once per consumer", () =>
    Effect.gen(function* () {
      const { consumers, pipeline } = yield* setup("ranking", "metrics")
      yield* appendInTransaction([1, 2, 3])
      yield* Effect.provide(drainOutbox, pipeline)
      const committed = yield* committedEvents
      const publisher = yield* Effect.provide(EventPublisher, pipeline)
      yield* publisher.publish(committed)
      yield* publisher.publish([committed[1]!, committed[1]!])
      for (const c of consumers) {
        expect(yield* c.counts).toEqual(exactlyOnce(idsOf(committed)))
        expect(c.attempts).toEqual(idsOf(committed))
      }
      const runner = yield* Effect.provide(ConsumerRunner, pipeline)
      expect(yield* runner.deliver(consumers[0]!.consumer, committed[0]!)).toBe("duplicate")
    }).pipe(Effect.provide(memoryBase())),
  )

  it.scoped("hundreds of concurrent deliveries of one event: one handles it, the rest are duplicates", () =>
    Effect.gen(function* () {
      const { consumers, pipeline } = yield* setup("ranking")
      const [event] = yield* appendInTransaction([1])
      const runner = yield* Effect.provide(ConsumerRunner, pipeline)
      const outcomes = yield* Effect.all(
        Array.from({ length: 300 }, () => runner.deliver(consumers[0]!.consumer, event!)),
        { concurrency: "unbounded" },
      )
      expect(outcomes.filter((o) => o === "handled")).toHaveLength(1)
      expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(299)
      expect(yield* consumers[0]!.counts).toEqual(exactlyOnce([event!.eventId]))
    }).pipe(Effect.provide(memoryBase())),
  )

  it.scoped("a failing handler's writes and inbox mark roll back, and redelivery retries it", () =>
    Effect.gen(function* () {
      const { consumers, pipeline } = yield* setup("ranking", "metrics")
      const [ranking, metrics] = consumers
      const events = yield* appendInTransaction([1, 2])
      const inbox = yield* Effect.provide(EventInbox, pipeline)
      metrics!.plan.failures = 2
      const failed = yield* Effect.flip(Effect.provide(drainOutbox, pipeline))
      expect(failed._tag).toBe("EventPublishFailed")
      expect(failed.message).toBe(
        `Publishing events failed: consumer metrics failed on a batch of 2 from ProductViewed ${events[0]!.eventId}: Storage unavailable: metrics injected failure`,
      )
      // metrics wrote a count for the first event, then failed: nothing of it remains, while
      // ranking, delivered the whole batch first, keeps its effects and skips it from now on.
      expect(yield* metrics!.counts).toEqual(new Map())
      expect(yield* inbox.isHandled("metrics", events[0]!.eventId)).toBe(false)
      expect(yield* ranking!.counts).toEqual(exactlyOnce(idsOf(events)))
      expect(Exit.isFailure(yield* Effect.exit(Effect.provide(drainOutbox, pipeline)))).toBe(true)
      expect(yield* Effect.provide(drainOutbox, pipeline)).toBe(2)
      for (const c of consumers) expect(yield* c.counts).toEqual(exactlyOnce(idsOf(events)))
      expect(metrics!.attempts).toEqual([...Array(3).fill(events[0]!.eventId), events[1]!.eventId])
      expect(ranking!.attempts).toEqual(idsOf(events))
    }).pipe(Effect.provide(memoryBase())),
  )

  it.scoped("a handler that dies fails the publish with a typed error instead of killing the relay", () =>
    Effect.gen(function* () {
      const { consumers, pipeline } = yield* setup("audit")
      yield* appendInTransaction([1])
      consumers[0]!.plan.die = true
      const failed = yield* Effect.flip(Effect.provide(drainOutbox, pipeline))
      expect(failed.code).toBe("EVENT_PUBLISH_FAILED")
      expect(failed.message).toContain("audit crashed")
      expect(yield* consumers[0]!.counts).toEqual(new Map())
      consumers[0]!.plan.die = false
      expect(yield* Effect.provide(drainOutbox, pipeline)).toBe(1)
      expect(yield* consumers[0]!.counts).toEqual(exactlyOnce(idsOf(yield* committedEvents)))
    }).pipe(Effect.provide(memoryBase())),
  )

  it.scoped("rejects consumers whose names cannot key an inbox", () =>
    Effect.gen(function* () {
      const a = yield* makeCountingConsumer("ranking")
      const b = yield* makeCountingConsumer("ranking")
      const blank = yield* makeCountingConsumer(" ")
      for (const consumers of [[a.consumer, b.consumer], [blank.consumer]]) {
        const error = yield* Effect.flip(Layer.build(InProcessPipelineMemory(consumers)))
        expect(error._tag).toBe("InvalidInput")
        expect(error.code).toBe("BAD_REQUEST")
      }
    }).pipe(Effect.provide(memoryBase())),
  )

  it.scoped("builds consumers from an effect that needs services", () =>
    Effect.gen(function* () {
      const built: Array<string> = []
      const pipeline = yield* Layer.build(
        InProcessPipelineMemory(
          Effect.map(makeCountingConsumer("cache"), (c) => {
            built.push(c.consumer.name)
            return [c.consumer]
          }),
        ),
      )
      yield* appendInTransaction([1])
      expect(yield* Effect.provide(drainOutbox, pipeline)).toBe(1)
      expect(built).toEqual(["cache"])
    }).pipe(Effect.provide(memoryBase())),
  )

  it.live("the background relay delivers by itself and recovers from failing rounds", () =>
    Effect.gen(function* () {
      const { consumers, pipeline } = yield* setup("ranking")
      const [ranking] = consumers
      ranking!.plan.failures = 3
      yield* Layer.build(OutboxRelayDaemon).pipe(Effect.provide(pipeline))
      const events = (yield* Effect.forEach([1, 2, 3, 4], (p) => appendInTransaction([p, p + 10]))).flat()
      yield* ranking!.counts.pipe(
        Effect.repeat({ until: (counts) => counts.size === events.length, schedule: Schedule.spaced("5 millis") }),
        Effect.timeout("3 seconds"),
      )
      expect(yield* ranking!.counts).toEqual(exactlyOnce(idsOf(events)))
      expect(ranking!.attempts.length).toBe(events.length + 3)
    }).pipe(
      Effect.scoped,
      Effect.provide(memoryBase()),
      Effect.provideService(OutboxRelaySettings, { batchSize: 3, leaseMs: 5_000, pollInterval: "5 millis" }),
      // The failing rounds are logged as warnings; keep the test output quiet.
      Logger.withMinimumLogLevel(LogLevel.Error),
    ),
  )
})
