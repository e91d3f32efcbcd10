import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, type Layer } from "effect"
import * as fc from "fast-check"
import { EventInbox } from "../../src/pipeline/EventInbox.js"
import type { EventId } from "../../src/shared/Ids.js"
import { Transactor } from "../../src/shared/Transactor.js"

const eventId = () => globalThis.crypto.randomUUID() as EventId

/** One event marked through the batch operation: true the first time. */
const markOne = (inbox: EventInbox["Type"], consumer: string, id: EventId) =>
  Effect.map(inbox.markHandledAll(consumer, [id]), (flags) => flags[0] === true)

/**
 * The behaviour every EventInbox adapter must show: one mark per (consumer, eventId), kept or
 * undone with the transaction it was made in.
 */
export const eventInboxContract = (makeLayer: () => Layer.Layer<EventInbox | Transactor, unknown>) => {
  describe("EventInbox contract", () => {
    it.live("marks an event handled the first time only", () =>
      Effect.gen(function* () {
        const inbox = yield* EventInbox
        const id = eventId()
        expect(yield* inbox.isHandled("ranking", id)).toBe(false)
        expect(yield* markOne(inbox, "ranking", id)).toBe(true)
        expect(yield* markOne(inbox, "ranking", id)).toBe(false)
        expect(yield* inbox.isHandled("ranking", id)).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("keys marks by consumer and event", () =>
      Effect.gen(function* () {
        const inbox = yield* EventInbox
        const [a, b] = [eventId(), eventId()]
        expect(yield* markOne(inbox, "ranking", a)).toBe(true)
        expect(yield* markOne(inbox, "metrics", a)).toBe(true)
        expect(yield* markOne(inbox, "ranking", b)).toBe(true)
        expect(yield* inbox.isHandled("metrics", b)).toBe(false)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a mark made in a rolled-back transaction is undone", () =>
      Effect.gen(function* () {
        const inbox = yield* EventInbox
        const tx = yield* Transactor
        const id = eventId()
        const exit = yield* Effect.exit(
          tx.withTransaction(
            Effect.gen(function* () {
              expect(yield* markOne(inbox, "ranking", id)).toBe(true)
              expect(yield* markOne(inbox, "ranking", id)).toBe(false)
              return yield* Effect.fail("handler failed" as const)
            }),
          ),
        )
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* inbox.isHandled("ranking", id)).toBe(false)
        expect(yield* tx.withTransaction(markOne(inbox, "ranking", id))).toBe(true)
        expect(yield* markOne(inbox, "ranking", id)).toBe(false)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("hundreds of concurrent transactions marking one event: exactly one wins", () =>
      Effect.gen(function* () {
        const inbox = yield* EventInbox
        const tx = yield* Transactor
        const id = eventId()
        const results = yield* Effect.all(
          Array.from({ length: 200 }, () => tx.withTransaction(markOne(inbox, "ranking", id))),
          { concurrency: "unbounded" },
        )
        expect(results.filter((first) => first)).toHaveLength(1)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("markHandledAll flags each id new exactly when it was not marked before, repeats included", () =>
      Effect.gen(function* () {
        const inbox = yield* EventInbox
        const tx = yield* Transactor
        const [a, b, c] = [eventId(), eventId(), eventId()]
        expect(yield* markOne(inbox, "ranking", b)).toBe(true)
        expect(yield* tx.withTransaction(inbox.markHandledAll("ranking", [a, b, a, c]))).toEqual([
          true,
          false,
          false,
          true,
        ])
        expect(yield* inbox.markHandledAll("ranking", [])).toEqual([])
        expect(yield* inbox.markHandledAll("metrics", [c, a])).toEqual([true, true])
        expect(yield* markOne(inbox, "ranking", c)).toBe(false)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("markHandledAll in a rolled-back transaction leaves no mark", () =>
      Effect.gen(function* () {
        const inbox = yield* EventInbox
        const tx = yield* Transactor
        const ids = [eventId(), eventId()]
        const exit = yield* Effect.exit(
          tx.withTransaction(Effect.zipRight(inbox.markHandledAll("ranking", ids), Effect.fail("handler failed"))),
        )
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* inbox.isHandled("ranking", ids[0]!)).toBe(false)
        expect(yield* inbox.markHandledAll("ranking", ids)).toEqual([true, true])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("concurrent batches sharing events: every event is new in exactly one of them", () =>
      Effect.gen(function* () {
        const inbox = yield* EventInbox
        const tx = yield* Transactor
        const ids = Array.from({ length: 20 }, eventId)
        // 100 transactions, each marking an overlapping window of 5 ids, in ascending order as the relay does
        const results = yield* Effect.all(
          Array.from({ length: 100 }, (_, i) => {
            const window = ids.slice(i % 16, (i % 16) + 5)
            return Effect.map(tx.withTransaction(inbox.markHandledAll("ranking", window)), (flags) =>
              window.filter((_, k) => flags[k]),
            )
          }),
          { concurrency: "unbounded" },
        )
        const won = results.flat()
        expect([...won].sort()).toEqual([...ids].sort())
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a mark is new exactly when its (consumer, event) pair was not marked before", () =>
      Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(fc.constantFrom("ranking", "metrics", "audit"), fc.integer({ min: 0, max: 5 })), {
              maxLength: 40,
            }),
            (marks) => {
              const ids = Array.from({ length: 6 }, eventId)
              return Effect.runPromise(
                Effect.gen(function* () {
                  const inbox = yield* EventInbox
                  const seen = new Set<string>()
                  for (const [consumer, i] of marks) {
                    const key = `${consumer}/${i}`
                    expect(yield* markOne(inbox, consumer, ids[i]!)).toBe(!seen.has(key))
                    seen.add(key)
                  }
                }).pipe(Effect.provide(makeLayer())),
              )
            },
          ),
          { numRuns: 50 },
        ),
      ),
    )
  })
}
