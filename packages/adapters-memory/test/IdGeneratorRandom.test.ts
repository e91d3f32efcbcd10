import { IdGenerator } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { IdGeneratorRandom } from "../src/IdGeneratorRandom.js"

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("IdGeneratorRandom", () => {
  it.effect("event ids are distinct version-4 UUIDs", () =>
    Effect.gen(function* () {
      const ids = yield* IdGenerator
      const drawn = yield* Effect.replicateEffect(ids.eventId, 10_000)
      for (const id of drawn) expect(id).toMatch(UUID_V4)
      expect(new Set(drawn).size).toBe(10_000)
    }).pipe(Effect.provide(IdGeneratorRandom)),
  )
})
