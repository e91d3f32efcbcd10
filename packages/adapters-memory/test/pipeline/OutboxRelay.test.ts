import { EventPublisher, makeOutboxRelay, OutboxRelaySettings, OutboxRelayStore } from "@commerce-core/domain"
import { byAggregate, firstOccurrences } from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, TestClock } from "effect"
import { appendInTransaction, committedEvents, PublisherRecorder, relayBase } from "./TestLayers.js"

const LEASE = 30_000

/** Appends in many small transactions (every fifth rolls back) while `relays` relay concurrently. */
const appendWhileRelaying = (relayCount: number, transactions: number) =>
  Effect.gen(function* () {
    const relays = yield* Effect.all(Array.from({ length: relayCount }, () => makeOutboxRelay)).pipe(
      Effect.provideService(OutboxRelaySettings, { batchSize: 5, leaseMs: LEASE, pollInterval: "10 millis" }),
    )
    const appendersDone = yield* Deferred.make<void>()
    const rolledBack: Array<string> = []
    const appenders = Effect.all(
      Array.from({ length: transactions }, (_, i) =>
        Effect.gen(function* () {
          const rollback = i % 5 === 4
          const events = yield* appendInTransaction(
            [1 + (i % 11), 1 + ((i * 3) % 17), 1 + (i % 7)].slice(0, 1 + (i % 3)),
            rollback,
          )
          if (rollback) rolledBack.push(...events.map((event) => event.eventId))
        }),
      ),
      { concurrency: "unbounded", discard: true },
    ).pipe(Effect.zipRight(Deferred.succeed(appendersDone, undefined)))
    const publishedBy = relays.map(() => 0)
    const relayLoop = (relay: (typeof relays)[number], i: number) =>
      Effect.gen(function* () {
        while (!(yield* Deferred.isDone(appendersDone))) {
          publishedBy[i]! += (yield* relay.relayOnce).published
          yield* Effect.yieldNow()
        }
        publishedBy[i]! += yield* relay.drain
      })
    yield* Effect.all([appenders, ...relays.map(relayLoop)], { concurrency: "unbounded", discard: true })
    return { rolledBack, publishedBy }
  })

describe("OutboxRelay", () => {
  for (const relayCount of [2, 5]) {
    it.effect(
      `${relayCount} concurrent relays publish every committed event exactly once, in order per aggregate`,
      () => {
        const recorder = new PublisherRecorder()
        return Effect.gen(function* () {
          const { rolledBack, publishedBy } = yield* appendWhileRelaying(relayCount, 300)
          const committed = yield* committedEvents
          // Every relay did part of the work, so they really ran side by side.
          expect(publishedBy.filter((n) => n > 0)).toHaveLength(relayCount)
          expect(publishedBy.reduce((a, b) => a + b, 0)).toBe(committed.length)
          expect(committed.length).toBeGreaterThan(400)
          const ids = recorder.received.map((event) => event.eventId)
          expect(new Set(ids).size).toBe(ids.length)
          expect([...ids].sort()).toEqual(committed.map((event) => event.eventId).sort())
          expect(byAggregate(recorder.received)).toEqual(byAggregate(committed))
          expect(ids.filter((id) => rolledBack.includes(id))).toEqual([])
          expect(rolledBack.length).toBeGreaterThan(0)
          expect(yield* (yield* OutboxRelayStore).counts).toEqual({ pending: 0, claimed: 0 })
        }).pipe(Effect.provide(relayBase(recorder)))
      },
    )
  }

  it.effect("refuses settings no store could honour with a typed error", () =>
    Effect.gen(function* () {
      for (const settings of [
        { batchSize: 0, leaseMs: LEASE, pollInterval: "1 second" },
        { batchSize: 10, leaseMs: 0, pollInterval: "1 second" },
      ] as const) {
        const error = yield* Effect.flip(Effect.provideService(makeOutboxRelay, OutboxRelaySettings, settings))
        expect(error.code).toBe("BAD_REQUEST")
      }
    }).pipe(Effect.provide(relayBase(new PublisherRecorder()))),
  )

  it.effect("never publishes events of a rolled-back transaction", () => {
    const recorder = new PublisherRecorder()
    return Effect.gen(function* () {
      const relay = yield* makeOutboxRelay
      yield* appendInTransaction([1, 2, 3], true)
      const kept = yield* appendInTransaction([4])
      expect(yield* relay.drain).toBe(1)
      expect(recorder.received).toEqual(kept)
    }).pipe(Effect.provide(relayBase(recorder)))
  })

  it.effect("a failed publish marks nothing and the next round publishes the batch again", () => {
    // Call 1 sends two events then fails; call 2 sends nothing and fails; later calls succeed.
    const recorder = new PublisherRecorder((call) => (call === 1 ? 2 : call === 2 ? 0 : undefined))
    return Effect.gen(function* () {
      const relay = yield* makeOutboxRelay
      const store = yield* OutboxRelayStore
      const events = yield* appendInTransaction([1, 2, 1, 3, 1])
      const first = yield* Effect.flip(relay.relayOnce)
      expect(first._tag).toBe("EventPublishFailed")
      expect(first.code).toBe("EVENT_PUBLISH_FAILED")
      expect(yield* store.counts).toEqual({ pending: 5, claimed: 0 })
      expect(Exit.isFailure(yield* Effect.exit(relay.relayOnce))).toBe(true)
      expect(yield* relay.relayOnce).toEqual({ claimed: 5, published: 5 })
      expect(recorder.received.map((event) => event.eventId)).toEqual([
        ...events.slice(0, 2).map((event) => event.eventId),
        ...events.map((event) => event.eventId),
      ])
      expect(firstOccurrences(recorder.received)).toEqual(events)
      expect(yield* store.counts).toEqual({ pending: 0, claimed: 0 })
    }).pipe(Effect.provide(relayBase(recorder)))
  })

  it.effect("a dead relay's batch is published by another relay once its lease expires", () => {
    const recorder = new PublisherRecorder()
    return Effect.gen(function* () {
      const store = yield* OutboxRelayStore
      const relay = yield* makeOutboxRelay
      const events = yield* appendInTransaction([1, 2, 1])
      const other = yield* appendInTransaction([3])
      // The dead relay claimed products 1 and 2 and never came back.
      expect(yield* store.claim(3, "relay-dead", LEASE)).toHaveLength(3)
      expect(yield* relay.relayOnce).toEqual({ claimed: 1, published: 1 })
      expect(recorder.received).toEqual(other)
      yield* TestClock.adjust(LEASE - 1)
      expect(yield* relay.relayOnce).toEqual({ claimed: 0, published: 0 })
      yield* TestClock.adjust(1)
      expect(yield* relay.relayOnce).toEqual({ claimed: 3, published: 3 })
      expect(recorder.received).toEqual([...other, ...events])
    }).pipe(Effect.provide(relayBase(recorder)))
  })

  it.effect("a publish that outlasts the lease is cut off and its batch released", () =>
    Effect.gen(function* () {
      const store = yield* OutboxRelayStore
      const relay = yield* makeOutboxRelay
      yield* appendInTransaction([1, 2])
      const fiber = yield* Effect.fork(relay.relayOnce)
      yield* TestClock.adjust(LEASE)
      const exit = yield* Fiber.await(fiber)
      expect(Exit.isFailure(exit) && exit.cause.toString()).toContain("30000 ms lease")
      expect(yield* store.counts).toEqual({ pending: 2, claimed: 0 })
    }).pipe(
      Effect.provide(
        relayBase(
          Object.assign(new PublisherRecorder(), {
            publish: () => Effect.never,
          }),
        ),
      ),
    ),
  )

  it.effect("a relay stopped while its claim commits, publishes or marks leaves no lease behind", () => {
    const recorder = new PublisherRecorder()
    const stopAt = (step: "claim" | "publish" | "mark") =>
      Effect.gen(function* () {
        const store = yield* OutboxRelayStore
        const reached = yield* Deferred.make<void>()
        const reply = yield* Deferred.make<void>()
        // the step has done its work in the store; its reply is still on the way back
        const inFlight = <A, E>(self: Effect.Effect<A, E>, at: typeof step) =>
          at === step
            ? Effect.tap(self, () => Effect.zipRight(Deferred.succeed(reached, undefined), Deferred.await(reply)))
            : self
        const slowStore = OutboxRelayStore.of({
          ...store,
          claim: (...args) => inFlight(store.claim(...args), "claim"),
          markPublished: (...args) => inFlight(store.markPublished(...args), "mark"),
        })
        const publisher = EventPublisher.of({ publish: (events) => inFlight(recorder.publish(events), "publish") })
        const relay = yield* makeOutboxRelay.pipe(
          Effect.provideService(OutboxRelayStore, slowStore),
          Effect.provideService(EventPublisher, publisher),
        )
        yield* appendInTransaction([1, 2, 1])
        const round = yield* Effect.fork(relay.relayOnce)
        yield* Deferred.await(reached)
        const stopped = yield* Effect.fork(Fiber.interrupt(round))
        yield* Deferred.succeed(reply, undefined)
        yield* Fiber.join(stopped)
        const exit = yield* Fiber.await(round)
        return { exit, counts: yield* store.counts }
      })
    return Effect.gen(function* () {
      const claim = yield* stopAt("claim")
      expect(Exit.isInterrupted(claim.exit)).toBe(true)
      expect(claim.counts).toEqual({ pending: 3, claimed: 0 })
      const publish = yield* stopAt("publish")
      expect(Exit.isInterrupted(publish.exit)).toBe(true)
      expect(publish.counts).toEqual({ pending: 6, claimed: 0 })
      expect(recorder.received).toHaveLength(6)
      // a batch already published is marked: the stop waits for the round to end
      const mark = yield* stopAt("mark")
      expect(mark.counts).toEqual({ pending: 0, claimed: 0 })
      expect(recorder.received).toHaveLength(15)
    }).pipe(Effect.provide(relayBase(recorder)))
  })

  it.effect("drain waits for a batch another relay is publishing", () => {
    const recorder = new PublisherRecorder()
    return Effect.gen(function* () {
      const [a, b] = yield* Effect.all([makeOutboxRelay, makeOutboxRelay])
      const events = yield* appendInTransaction(Array.from({ length: 50 }, () => 1))
      const busy = yield* Effect.fork(a.relayOnce)
      yield* Effect.yieldNow()
      expect(yield* (yield* OutboxRelayStore).counts).toEqual({ pending: 50, claimed: 50 })
      expect(yield* b.drain).toBe(0)
      expect(yield* (yield* OutboxRelayStore).counts).toEqual({ pending: 0, claimed: 0 })
      expect(yield* Fiber.join(busy)).toEqual({ claimed: 50, published: 50 })
      expect(recorder.received).toEqual(events)
    }).pipe(Effect.provide(relayBase(recorder)))
  })
})
