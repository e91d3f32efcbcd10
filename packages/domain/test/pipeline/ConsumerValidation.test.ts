import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, FastCheck as fc } from "effect"
import { validateConsumers } from "../../src/pipeline/ConsumerRunner.js"
import type { EventConsumer } from "../../src/pipeline/EventConsumer.js"
import { EventPublishFailed } from "../../src/pipeline/PipelineErrors.js"

const consumer = (name: string): EventConsumer => ({ name, handle: () => Effect.void })

describe("validateConsumers", () => {
  it.effect("accepts distinct identifier names in the given order", () =>
    Effect.gen(function* () {
      const consumers = ["ranking", "metrics.daily", "cache:product", "audit-1", "x".repeat(100)].map(consumer)
      expect(yield* validateConsumers(consumers)).toBe(consumers)
      expect(yield* validateConsumers([])).toEqual([])
    }),
  )

  it.effect("rejects blank, too long, odd and repeated names with BAD_REQUEST", () =>
    Effect.gen(function* () {
      for (const names of [
        [""],
        [" ranking"],
        ["rank ing"],
        ["-x"],
        ["x".repeat(101)],
        ["ranking", "metrics", "ranking"],
      ]) {
        const error = yield* Effect.flip(validateConsumers(names.map(consumer)))
        expect(error._tag).toBe("InvalidInput")
        expect(error.code).toBe("BAD_REQUEST")
        expect(error.field).toBe("consumer.name")
      }
    }),
  )

  it.prop(
    "a set of names is accepted exactly when the names are distinct",
    [fc.array(fc.constantFrom("ranking", "metrics", "audit", "cache"), { maxLength: 6 })],
    ([names]) => {
      const exit = Effect.runSyncExit(validateConsumers(names.map(consumer)))
      expect(Exit.isSuccess(exit)).toBe(new Set(names).size === names.length)
    },
  )
})

describe("EventPublishFailed", () => {
  it("is an unavailable error with a stable code", () => {
    const error = new EventPublishFailed({ reason: "broker down" })
    expect(error.code).toBe("EVENT_PUBLISH_FAILED")
    expect(error.kind).toBe("unavailable")
    expect(error.message).toBe("Publishing events failed: broker down")
  })
})
