import { describe, expect, it } from "@effect/vitest"
import { fc } from "@fast-check/vitest"
import { Deferred, Effect, Exit, Fiber, Runtime } from "effect"
import { makeMemoryDatabase } from "../src/MemoryDatabase.js"

const setup = Effect.map(makeMemoryDatabase, (db) => ({ db, counters: db.table<string, number>("counters") }))

describe("MemoryDatabase", () => {
  it.effect("commits every write of a successful transaction", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      yield* db.transaction(
        Effect.all([
          db.write((tx) => Effect.sync(() => tx.set(counters, "a", 1))),
          db.write((tx) => Effect.sync(() => tx.set(counters, "b", 2))),
        ]),
      )
      expect(yield* db.read((v) => v.values(counters).sort())).toEqual([1, 2])
    }),
  )

  it.effect("drops every write of a failed transaction", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      yield* db.write((tx) => Effect.sync(() => tx.set(counters, "a", 1)))
      const exit = yield* Effect.exit(
        db.transaction(
          Effect.gen(function* () {
            yield* db.write((tx) => Effect.sync(() => tx.set(counters, "a", 10)))
            yield* db.write((tx) => Effect.sync(() => tx.delete(counters, "a")))
            yield* db.write((tx) => Effect.sync(() => tx.set(counters, "b", 2)))
            return yield* Effect.fail("boom" as const)
          }),
        ),
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(yield* db.read((v) => [v.get(counters, "a"), v.get(counters, "b")])).toEqual([1, undefined])
    }),
  )

  it.effect("undoes only a failed statement inside a transaction (savepoint)", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      yield* db.transaction(
        Effect.gen(function* () {
          yield* db.write((tx) => Effect.sync(() => tx.set(counters, "kept", 1)))
          yield* db
            .write((tx) =>
              Effect.gen(function* () {
                tx.set(counters, "undone", 1)
                return yield* Effect.fail("conditional write refused")
              }),
            )
            .pipe(Effect.ignore)
          expect(yield* db.read((v) => v.get(counters, "undone"))).toBeUndefined()
        }),
      )
      expect(yield* db.read((v) => v.values(counters))).toEqual([1])
    }),
  )

  it.effect("reads inside a transaction see its own writes; readers outside see only commits", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      const written = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        db.transaction(
          Effect.gen(function* () {
            yield* db.write((tx) => Effect.sync(() => tx.set(counters, "a", 1)))
            expect(yield* db.read((v) => v.get(counters, "a"))).toBe(1)
            yield* Deferred.succeed(written, undefined)
            yield* Deferred.await(release)
          }),
        ),
      )
      yield* Deferred.await(written)
      expect(yield* db.read((v) => v.get(counters, "a"))).toBeUndefined()
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(fiber)
      expect(yield* db.read((v) => v.get(counters, "a"))).toBe(1)
    }),
  )

  it.effect("an interrupted transaction writes nothing", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      const written = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        db.transaction(
          Effect.gen(function* () {
            yield* db.write((tx) => Effect.sync(() => tx.set(counters, "a", 1)))
            yield* Deferred.succeed(written, undefined)
            yield* Effect.never
          }),
        ),
      )
      yield* Deferred.await(written)
      yield* Fiber.interrupt(fiber)
      expect(yield* db.read((v) => v.values(counters))).toEqual([])
      // The permit was released: a new transaction can run.
      yield* db.write((tx) => Effect.sync(() => tx.set(counters, "b", 2)))
      expect(yield* db.read((v) => v.get(counters, "b"))).toBe(2)
    }),
  )

  it.effect("racing read-modify-write transactions never lose an update", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      const increment = db.transaction(
        Effect.gen(function* () {
          const current = yield* db.read((v) => v.get(counters, "n") ?? 0)
          yield* Effect.yieldNow()
          yield* db.write((tx) => Effect.sync(() => tx.set(counters, "n", current + 1)))
        }),
      )
      yield* Effect.all(
        Array.from({ length: 500 }, () => increment),
        { concurrency: "unbounded" },
      )
      expect(yield* db.read((v) => v.get(counters, "n"))).toBe(500)
    }),
  )

  it.effect("sequences are not rolled back, like auto-increment", () =>
    Effect.gen(function* () {
      const { db } = yield* setup
      yield* Effect.exit(db.transaction(Effect.sync(() => db.nextId("s")).pipe(Effect.zipRight(Effect.fail(1)))))
      expect(db.nextId("s")).toBe(2)
    }),
  )
  it.effect("a failed statement undoes the nested statements it ran too", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      yield* db.transaction(
        Effect.gen(function* () {
          yield* db
            .write((tx) =>
              Effect.gen(function* () {
                tx.set(counters, "outer", 1)
                yield* db.write((inner) => Effect.sync(() => inner.set(counters, "inner", 1)))
                expect(yield* db.read((v) => v.get(counters, "inner"))).toBe(1)
                return yield* Effect.fail("refused")
              }),
            )
            .pipe(Effect.ignore)
          yield* db.write((tx) => Effect.sync(() => tx.set(counters, "after", 1)))
        }),
      )
      expect(
        yield* db.read((v) => [v.get(counters, "outer"), v.get(counters, "inner"), v.get(counters, "after")]),
      ).toEqual([undefined, undefined, 1])
    }),
  )

  it.effect("statements of fibers forked inside a transaction keep their savepoints apart", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      const keys = Array.from({ length: 300 }, (_, i) => `k${i}`)
      yield* db.transaction(
        Effect.gen(function* () {
          yield* Effect.all(
            keys.map((key, i) =>
              db
                .write((tx) =>
                  Effect.gen(function* () {
                    tx.set(counters, key, i)
                    yield* Effect.yieldNow()
                    if (i % 3 === 0) return yield* Effect.fail("refused")
                  }),
                )
                .pipe(Effect.ignore),
            ),
            { concurrency: "unbounded" },
          )
          // The parent's own cell survives the joins: this write lands in the transaction.
          yield* db.write((tx) => Effect.sync(() => tx.set(counters, "parent", -1)))
        }),
      )
      const expected = keys.filter((_, i) => i % 3 !== 0).length + 1
      expect(yield* db.read((v) => v.values(counters).length)).toBe(expected)
      expect(yield* db.read((v) => [v.get(counters, "k0"), v.get(counters, "k1"), v.get(counters, "parent")])).toEqual([
        undefined,
        1,
        -1,
      ])
    }),
  )

  it.effect("after a committed or failed transaction the fiber is outside any transaction again", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      yield* db.transaction(db.write((tx) => Effect.sync(() => tx.set(counters, "n", 1))))
      // Outside any transaction again: a read sees only committed rows.
      expect(yield* db.read((v) => v.get(counters, "n"))).toBe(1)
      const failed = yield* Effect.exit(
        db.transaction(
          Effect.zipRight(
            db.write((tx) => Effect.sync(() => tx.set(counters, "n", 2))),
            Effect.fail("boom"),
          ),
        ),
      )
      expect(Exit.isFailure(failed)).toBe(true)
      yield* db.write((tx) => Effect.sync(() => tx.set(counters, "m", 3)))
      expect(yield* db.read((v) => [v.get(counters, "n"), v.get(counters, "m")])).toEqual([1, 3])
    }),
  )
  // A fiber keeps its transaction cell between transactions, and a Runtime taken from it carries
  // that cell to the fibers the Runtime starts: they must stay outside the fiber's transactions.
  it.effect("fibers started from a Runtime taken from a fiber never join that fiber's later transactions", () =>
    Effect.gen(function* () {
      const { db, counters } = yield* setup
      yield* db.transaction(db.write((tx) => Effect.sync(() => tx.set(counters, "n", 1))))
      const runtime = yield* Effect.runtime<never>()
      const writer = yield* db.transaction(
        Effect.gen(function* () {
          yield* db.write((tx) => Effect.sync(() => tx.set(counters, "n", 2)))
          // this fiber's transaction is open: a fiber of the Runtime reads only committed rows
          const seen = yield* Effect.promise(() => Runtime.runPromise(runtime)(db.read((v) => v.get(counters, "n"))))
          expect(seen).toBe(1)
          // and its write waits for the lock instead of joining the open transaction
          const writer = Runtime.runFork(runtime)(db.write((tx) => Effect.sync(() => tx.set(counters, "m", 5))))
          yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
          expect(writer.unsafePoll()).toBeNull()
          return writer
        }),
      )
      yield* Fiber.join(writer)
      expect(yield* db.read((v) => [v.get(counters, "n"), v.get(counters, "m")])).toEqual([2, 5])
    }),
  )

  // A statement either finishes while it is built (returns an Exit: undone from its notes) or
  // returns an effect still to run (a savepoint); both must behave like all-or-nothing.
  it.effect("random statements inside a transaction apply exactly when they succeed (property)", () =>
    Effect.gen(function* () {
      const op = fc.record({
        key: fc.constantFrom("a", "b", "c", "d"),
        value: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
      })
      const statement = fc.record({
        ops: fc.array(op, { maxLength: 4 }),
        later: fc.array(op, { maxLength: 2 }),
        sync: fc.boolean(),
        fails: fc.boolean(),
      })
      const statements = fc.array(statement, { maxLength: 12 })
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(
            fc.dictionary(fc.constantFrom("a", "b", "c", "d"), fc.integer({ min: 0, max: 9 })),
            statements,
            fc.boolean(),
            async (initial, steps, commit) => {
              const { db, counters } = Effect.runSync(setup)
              const model = new Map(Object.entries(initial))
              const apply = (
                target: Map<string, number>,
                ops: ReadonlyArray<{ key: string; value: number | undefined }>,
              ) => {
                for (const { key, value } of ops) value === undefined ? target.delete(key) : target.set(key, value)
              }
              await Effect.runPromise(
                db.write((tx) => {
                  for (const [k, v] of model) tx.set(counters, k, v)
                  return Effect.void
                }),
              )
              const expected = new Map(model)
              const run = db.transaction(
                Effect.gen(function* () {
                  for (const step of steps) {
                    yield* db
                      .write((tx) => {
                        for (const { key, value } of step.ops)
                          value === undefined ? tx.delete(counters, key) : tx.set(counters, key, value)
                        if (step.sync) return step.fails ? Effect.fail("refused") : Effect.void
                        return Effect.gen(function* () {
                          yield* Effect.yieldNow()
                          for (const { key, value } of step.later)
                            value === undefined ? tx.delete(counters, key) : tx.set(counters, key, value)
                          if (step.fails) return yield* Effect.fail("refused")
                        })
                      })
                      .pipe(Effect.ignore)
                    if (!step.fails) {
                      apply(expected, step.ops)
                      if (!step.sync) apply(expected, step.later)
                    }
                    const seen = yield* db.read((v) => ["a", "b", "c", "d"].map((k) => v.get(counters, k)))
                    expect(seen).toEqual(["a", "b", "c", "d"].map((k) => expected.get(k)))
                  }
                  if (!commit) return yield* Effect.fail("rolled back")
                }),
              )
              await Effect.runPromise(Effect.exit(run))
              const after = Effect.runSync(db.read((v) => ["a", "b", "c", "d"].map((k) => v.get(counters, k))))
              expect(after).toEqual(["a", "b", "c", "d"].map((k) => (commit ? expected : model).get(k)))
            },
          ),
          { numRuns: 300 },
        ),
      )
    }),
  )
})
