import { IdGenerator } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { IdGeneratorRandom } from "../src/IdGeneratorRandom.js"

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe("IdGeneratorRandom", () => {
  it.effect("event ids are distinct version-4 UUIDs, one at a time or in batches", () =>
    Effect.gen(function* () {
      const ids = yield* IdGenerator
      // more than one fill of the random pool, so refills are crossed several times
      const single = yield* Effect.replicateEffect(ids.eventId, 5_000)
      const batches = yield* Effect.forEach([1, 7, 300, 4_692], (count) => ids.eventIds(count))
      expect(batches.map((batch) => batch.length)).toEqual([1, 7, 300, 4_692])
      const drawn = [...single, ...batches.flat()]
      for (const id of drawn) expect(id).toMatch(UUID_V4)
      expect(new Set(drawn).size).toBe(10_000)
    }).pipe(Effect.provide(IdGeneratorRandom)),
  )

  it.effect("every hex digit turns up in every random position (no byte is mapped to a fixed digit)", () =>
    Effect.gen(function* () {
      const ids = yield* IdGenerator
      const drawn = yield* ids.eventIds(4_000)
      for (let position = 0; position < 36; position++) {
        if ([8, 13, 18, 23, 14].includes(position)) continue
        const digits = new Set(drawn.map((id) => id[position]))
        expect(digits.size, `position ${position}`).toBe(position === 19 ? 4 : 16)
      }
    }).pipe(Effect.provide(IdGeneratorRandom)),
  )
})
