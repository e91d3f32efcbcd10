import { describe, expect, it } from "@effect/vitest"
import { Cause, Deferred, Effect, Exit, Fiber, type Layer } from "effect"
import { CartRepository } from "../../src/cart/CartRepository.js"
import { EventOutbox } from "../../src/events/EventOutbox.js"
import { OutboxRelayStore } from "../../src/pipeline/OutboxRelayStore.js"
import { ProductId, UserId } from "../../src/shared/Ids.js"
import { Quantity } from "../../src/shared/Quantity.js"
import { Transactor } from "../../src/shared/Transactor.js"
import { productViews } from "../pipeline/PipelineFixtures.js"

type Ports = Transactor | CartRepository | EventOutbox | OutboxRelayStore

const user = UserId.make(1)
const product = ProductId.make
const q = Quantity.make
const NO_LIMIT = q(Number.MAX_SAFE_INTEGER)
const OBSERVER = "transactor-contract"

/** A domain failure of the transaction's body. */
class Refused {
  readonly _tag = "Refused"
}

/**
 * The body's own error object. Effect may hand it on behind a proxy that carries the span it
 * failed in (a savepoint runs in one), so identity is checked on the original.
 */
const expectSame = (error: unknown, expected: Refused) => {
  expect(error).toBeInstanceOf(Refused)
  expect(Cause.originalError(error)).toBe(expected)
}

/**
 * The committed state as a reader outside any transaction sees it: the cart lines of `user`
 * and every pending outbox event in outbox order (claimed, then released so it can be read again).
 */
const committed = Effect.gen(function* () {
  const carts = yield* CartRepository
  const store = yield* OutboxRelayStore
  const lines = yield* carts.lines(user)
  const entries = yield* store.claim(10_000, OBSERVER, 60_000)
  yield* store.release(
    OBSERVER,
    entries.map((entry) => entry.sequence),
  )
  return { lines, events: entries.map((entry) => entry.event) }
})

/** The committed state most tests start from: lines 1 (qty 1) and 2 (qty 2), and one event. */
const seed = Effect.gen(function* () {
  const carts = yield* CartRepository
  const outbox = yield* EventOutbox
  const tx = yield* Transactor
  const events = yield* productViews([9])
  yield* tx.withTransaction(
    Effect.all([carts.set(user, product(1), q(1)), carts.set(user, product(2), q(2)), outbox.append(events)]),
  )
  return {
    lines: [
      { productId: product(1), quantity: 1 },
      { productId: product(2), quantity: 2 },
    ],
    events,
  }
})

/**
 * Writes of every kind through two ports: an update of line 1, a delete of line 2, an insert
 * of line 3, and two appends. Returns the events appended.
 */
const severalWrites = Effect.gen(function* () {
  const carts = yield* CartRepository
  const outbox = yield* EventOutbox
  const [first, second] = [yield* productViews([1, 2]), yield* productViews([3])]
  expect(yield* carts.add(user, product(1), q(5), NO_LIMIT)).toBe(6)
  yield* outbox.append(first)
  expect(yield* carts.remove(user, product(2))).toBe(true)
  yield* carts.set(user, product(3), q(3))
  yield* outbox.append(second)
  return [...first, ...second]
})

const afterSeveralWrites = [
  { productId: product(1), quantity: 6 },
  { productId: product(3), quantity: 3 },
]

/**
 * What every Transactor must guarantee, observed through CartRepository and the outbox (the
 * ports every adapter set has): a body's writes through any port commit together or not at
 * all (failure, defect, interruption), nested calls join the outer transaction and are
 * savepoints of it, and concurrent transactions (retried or not) lose and repeat no write.
 */
export const transactorContract = (makeLayer: () => Layer.Layer<Ports, unknown>) => {
  describe("Transactor contract", () => {
    it.live("commits every write of the body together and returns the body's value", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const before = yield* seed
        const [value, appended] = yield* tx.withTransaction(
          Effect.map(severalWrites, (events) => ["done", events] as const),
        )
        expect(value).toBe("done")
        expect(yield* committed).toEqual({ lines: afterSeveralWrites, events: [...before.events, ...appended] })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a failure after several writes undoes every one of them and surfaces the body's error", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const before = yield* seed
        const refused = new Refused()
        const error = yield* Effect.flip(tx.withTransaction(Effect.zipRight(severalWrites, Effect.fail(refused))))
        expectSame(error, refused)
        expect(yield* committed).toEqual(before)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a defect after several writes undoes every one of them and stays a defect", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const before = yield* seed
        const exit = yield* Effect.exit(tx.withTransaction(Effect.zipRight(severalWrites, Effect.dieMessage("bug"))))
        expect(Exit.isFailure(exit) && Cause.isDie(exit.cause)).toBe(true)
        expect(yield* committed).toEqual(before)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("an interrupted transaction undoes its writes and the next one commits", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const carts = yield* CartRepository
        const before = yield* seed
        const written = yield* Deferred.make<void>()
        const fiber = yield* Effect.fork(
          tx.withTransaction(
            Effect.zipRight(severalWrites, Effect.zipRight(Deferred.succeed(written, undefined), Effect.never)),
          ),
        )
        yield* Deferred.await(written)
        const exit = yield* Fiber.interrupt(fiber)
        expect(Exit.isInterrupted(exit)).toBe(true)
        expect(yield* committed).toEqual(before)
        yield* tx.withTransaction(carts.set(user, product(4), q(4)))
        expect((yield* committed).lines).toEqual([...before.lines, { productId: product(4), quantity: 4 }])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("no write is visible outside the transaction before it commits", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const before = yield* seed
        const written = yield* Deferred.make<void>()
        const proceed = yield* Deferred.make<void>()
        // Forked from outside any transaction, so this fiber reads only committed state.
        const fiber = yield* Effect.fork(
          tx.withTransaction(
            Effect.tap(severalWrites, () =>
              Effect.zipRight(Deferred.succeed(written, undefined), Deferred.await(proceed)),
            ),
          ),
        )
        yield* Deferred.await(written)
        const carts = yield* CartRepository
        const store = yield* OutboxRelayStore
        expect(yield* carts.lines(user)).toEqual(before.lines)
        expect((yield* store.counts).pending).toBe(before.events.length)
        yield* Deferred.succeed(proceed, undefined)
        const appended = yield* Fiber.join(fiber)
        expect(yield* committed).toEqual({ lines: afterSeveralWrites, events: [...before.events, ...appended] })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a nested transaction joins the outer one: its writes are undone when the outer one fails", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const before = yield* seed
        const exit = yield* Effect.exit(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* tx.withTransaction(severalWrites)
              yield* tx.withTransaction(
                tx.withTransaction(Effect.flatMap(CartRepository, (c) => c.set(user, product(5), q(5)))),
              )
              return yield* Effect.fail(new Refused())
            }),
          ),
        )
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* committed).toEqual(before)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("a nested transaction that fails or dies is undone alone and the outer one commits", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const carts = yield* CartRepository
        const outbox = yield* EventOutbox
        const before = yield* seed
        const [outer, later] = [yield* productViews([7]), yield* productViews([8])]
        yield* tx.withTransaction(
          Effect.gen(function* () {
            yield* carts.set(user, product(6), q(6))
            yield* outbox.append(outer)
            const refused = new Refused()
            expectSame(
              yield* Effect.flip(tx.withTransaction(Effect.zipRight(severalWrites, Effect.fail(refused)))),
              refused,
            )
            const died = yield* Effect.exit(
              tx.withTransaction(Effect.zipRight(severalWrites, Effect.dieMessage("bug"))),
            )
            expect(Exit.isFailure(died) && Cause.isDie(died.cause)).toBe(true)
            // The outer transaction still sees its own writes and none of the undone ones.
            expect(yield* carts.lines(user)).toEqual([...before.lines, { productId: product(6), quantity: 6 }])
            yield* tx.withTransaction(carts.add(user, product(1), q(1), NO_LIMIT))
            yield* outbox.append(later)
          }),
        )
        expect(yield* committed).toEqual({
          lines: [
            { productId: product(1), quantity: 2 },
            { productId: product(2), quantity: 2 },
            { productId: product(6), quantity: 6 },
          ],
          events: [...before.events, ...outer, ...later],
        })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.live("hundreds of concurrent read-modify-write transactions on one row lose and repeat no update", () =>
      Effect.gen(function* () {
        const tx = yield* Transactor
        const carts = yield* CartRepository
        const outbox = yield* EventOutbox
        const n = 200
        yield* carts.set(user, product(1), q(1))
        const events = yield* productViews(Array.from({ length: n }, () => 1))
        // Each transaction reads the line's quantity, writes it plus one (CartRepository.add
        // locks the row in SQL) and appends an event: both or neither, exactly once each.
        const seen = yield* Effect.all(
          events.map((event) =>
            tx.withTransaction(
              Effect.flatMap(carts.add(user, product(1), q(1), NO_LIMIT), (after) =>
                Effect.as(outbox.append([event]), after),
              ),
            ),
          ),
          { concurrency: "unbounded" },
        )
        expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 2))
        const state = yield* committed
        expect(state.lines).toEqual([{ productId: product(1), quantity: n + 1 }])
        expect(state.events.map((event) => event.eventId).sort()).toEqual(events.map((event) => event.eventId).sort())
      }).pipe(Effect.provide(makeLayer())),
    )
  })
}
