import { describe, expect, it } from "@effect/vitest"
import { Effect, Random } from "effect"
import * as fc from "fast-check"
import { ID_BLOCK_SIZE, makeIdBlocks } from "../src/internal/IdBlocks.js"

/** A block counter like the auto-increment one: unique, increasing, slow to answer. */
const counter = (start: number) => {
  let last = start - 1
  let reads = 0
  const nextBlock = Effect.flatMap(Random.nextIntBetween(0, 3), (ms) =>
    Effect.sync(() => {
      reads++
      return ++last
    }).pipe(Effect.delay(ms)),
  )
  return { nextBlock, reads: () => reads }
}

describe("makeIdBlocks", () => {
  it.live("hundreds of concurrent takers get distinct ids, from one counter read per block", () =>
    Effect.gen(function* () {
      const source = counter(1)
      const ids = yield* makeIdBlocks(source.nextBlock, (n) => n)
      const taken = yield* Effect.all(
        Array.from({ length: 1_000 }, () => ids.next),
        { concurrency: "unbounded" },
      )
      expect(new Set(taken).size).toBe(1_000)
      expect(source.reads()).toBe(1_000 / ID_BLOCK_SIZE)
      expect(Math.min(...taken)).toBe(ID_BLOCK_SIZE)
    }),
  )

  it.live("processes sharing the counter never hand out the same id, and ids exceed those of single reads", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 10_000 }),
          fc.array(fc.integer({ min: 0, max: 250 }), { minLength: 1, maxLength: 4 }),
          (firstBlock, perProcess) =>
            Effect.runPromise(
              Effect.gen(function* () {
                // ids below firstBlock were handed out one per counter read before blocks
                const source = counter(firstBlock)
                const processes = yield* Effect.all(perProcess.map(() => makeIdBlocks(source.nextBlock, (n) => n)))
                const taken = yield* Effect.all(
                  processes.flatMap((p, i) => Array.from({ length: perProcess[i] ?? 0 }, () => p.next)),
                  { concurrency: "unbounded" },
                )
                expect(new Set(taken).size).toBe(taken.length)
                for (const id of taken) expect(id).toBeGreaterThanOrEqual(firstBlock)
              }),
            ),
        ),
        { numRuns: 50 },
      ),
    ),
  )
})
