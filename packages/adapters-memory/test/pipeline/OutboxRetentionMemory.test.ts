import { drainOutbox } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { InProcessPipelineMemory } from "../../src/pipeline/InProcessPipeline.js"
import { purgePublishedOutbox } from "../../src/pipeline/OutboxRetentionMemory.js"
import { makeCountingConsumer } from "./ConsumerFixtures.js"
import { appendInTransaction, committedEvents, memoryBase } from "./TestLayers.js"

describe("purgePublishedOutbox", () => {
  it.scoped("deletes only entries published before the cutoff, never pending ones", () =>
    Effect.gen(function* () {
      const counter = yield* makeCountingConsumer("ranking")
      const pipeline = yield* Layer.build(InProcessPipelineMemory([counter.consumer]))
      const early = yield* appendInTransaction([1, 2])
      yield* Effect.provide(drainOutbox, pipeline)
      yield* TestClock.adjust("1 hour")
      const late = yield* appendInTransaction([3])
      yield* Effect.provide(drainOutbox, pipeline)
      const pending = yield* appendInTransaction([4])
      expect(yield* committedEvents).toEqual([...early, ...late, ...pending])
      expect(yield* purgePublishedOutbox(new Date(60 * 60 * 1000))).toBe(2)
      expect(yield* committedEvents).toEqual([...late, ...pending])
      expect(yield* purgePublishedOutbox(new Date(60 * 60 * 1000))).toBe(0)
      expect(yield* Effect.provide(drainOutbox, pipeline)).toBe(1)
    }).pipe(Effect.provide(memoryBase())),
  )
})
