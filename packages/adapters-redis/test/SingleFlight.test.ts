import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber } from "effect"
import * as fc from "fast-check"
import { makeSingleFlight } from "../src/index.js"

describe("SingleFlight", () => {
  it.live("300 concurrent callers of one key share one load and its result", () =>
    Effect.gen(function* () {
      const flight = makeSingleFlight()
      let loads = 0
      const load = Effect.zipRight(
        Effect.sync(() => loads++),
        Effect.as(Effect.sleep(20), "row"),
      )
      const results = yield* Effect.all(
        Array.from({ length: 300 }, () => flight.run("k", load)),
        { concurrency: "unbounded" },
      )
      expect(loads).toBe(1)
      expect(results.every((r) => r === "row")).toBe(true)
      expect(flight.inFlight()).toBe(0)
      // A later call loads again: nothing is cached.
      yield* flight.run("k", load)
      expect(loads).toBe(2)
    }),
  )

  it.live("a failure reaches every waiter; different keys load separately", () =>
    Effect.gen(function* () {
      const flight = makeSingleFlight()
      const failing = Effect.zipRight(Effect.sleep(10), Effect.fail("down" as const))
      const exits = yield* Effect.all(
        Array.from({ length: 50 }, () => Effect.exit(flight.run("k", failing))),
        { concurrency: "unbounded" },
      )
      expect(exits.every((e) => Exit.isFailure(e))).toBe(true)
      let loads = 0
      const counted = (v: string) =>
        Effect.zipRight(
          Effect.sync(() => loads++),
          Effect.as(Effect.sleep(10), v),
        )
      const [a, b] = yield* Effect.all([flight.run("a", counted("A")), flight.run("b", counted("B"))], {
        concurrency: "unbounded",
      })
      expect([a, b, loads]).toEqual(["A", "B", 2])
    }),
  )

  it.live("when the leader is interrupted its waiters load again instead of failing", () =>
    Effect.gen(function* () {
      const flight = makeSingleFlight()
      const started = yield* Deferred.make<void>()
      let loads = 0
      const load = Effect.zipRight(
        Effect.zipRight(
          Effect.sync(() => loads++),
          Deferred.succeed(started, undefined),
        ),
        Effect.as(Effect.sleep(30), "row"),
      )
      const leader = yield* Effect.fork(flight.run("k", load))
      yield* Deferred.await(started)
      const waiter = yield* Effect.fork(flight.run("k", load))
      yield* Effect.sleep(5)
      yield* Fiber.interrupt(leader)
      expect(yield* Fiber.join(waiter)).toBe("row")
      expect(loads).toBe(2)
    }),
  )

  it.live("property: concurrent callers over any keys cause exactly one load per distinct key", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 200 }), (keys) =>
          Effect.runPromise(
            Effect.gen(function* () {
              const flight = makeSingleFlight()
              const loads = new Map<string, number>()
              const results = yield* Effect.all(
                keys.map((k) =>
                  flight.run(
                    String(k),
                    Effect.zipRight(
                      Effect.sync(() => loads.set(String(k), (loads.get(String(k)) ?? 0) + 1)),
                      Effect.as(Effect.sleep(5), k),
                    ),
                  ),
                ),
                { concurrency: "unbounded" },
              )
              expect(results).toEqual(keys)
              expect([...loads.values()].every((n) => n === 1)).toBe(true)
              expect(loads.size).toBe(new Set(keys).size)
            }),
          ),
        ),
        { numRuns: 30 },
      ),
    ),
  )
})
