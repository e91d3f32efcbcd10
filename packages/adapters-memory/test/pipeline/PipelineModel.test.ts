import {
  type DomainEvent,
  EventPublisher,
  EventPublishFailed,
  makeOutboxRelay,
  OutboxRelaySettings,
  OutboxRelayStore,
} from "@commerce-core/domain"
import { byAggregate } from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Clock, Context, Effect, Layer } from "effect"
import * as fc from "fast-check"
import { InProcessPipelineMemory } from "../../src/pipeline/InProcessPipeline.js"
import { exactlyOnce, makeCountingConsumer } from "./ConsumerFixtures.js"
import { appendInTransaction, committedEvents, memoryBase } from "./TestLayers.js"

const LEASE = 10_000

type Command =
  | { readonly t: "append"; readonly products: ReadonlyArray<number>; readonly commit: boolean }
  | { readonly t: "relay"; readonly relay: number; readonly failAfter: number | null }
  | { readonly t: "relayAll" }
  | { readonly t: "failConsumer"; readonly consumer: number; readonly times: number }
  | { readonly t: "duplicate"; readonly pick: number }
  | { readonly t: "crash"; readonly claim: number }
  | { readonly t: "tick" }

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      t: fc.constant("append" as const),
      products: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
      commit: fc.boolean(),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      t: fc.constant("relay" as const),
      relay: fc.integer({ min: 0, max: 2 }),
      failAfter: fc.option(fc.integer({ min: 0, max: 3 })),
    }),
    weight: 3,
  },
  fc.constant({ t: "relayAll" as const }),
  fc.record({
    t: fc.constant("failConsumer" as const),
    consumer: fc.integer({ min: 0, max: 1 }),
    times: fc.integer({ min: 1, max: 2 }),
  }),
  fc.record({ t: fc.constant("duplicate" as const), pick: fc.nat() }),
  fc.record({ t: fc.constant("crash" as const), claim: fc.integer({ min: 1, max: 3 }) }),
  fc.constant({ t: "tick" as const }),
)

/** A clock that moves only when told: lease expiry without TestClock's scheduling overhead. */
const manualClock = () => {
  let now = 0
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    // Nothing in the model waits on time; a publish timeout never fires.
    sleep: () => Effect.never,
  }
  return {
    clock,
    advance: (ms: number) =>
      Effect.sync(() => {
        now += ms
      }),
  }
}

/**
 * Runs the commands against the in-process pipeline (three relays over one outbox, two
 * consumers), then heals every fault, lets the leases of crashed relays expire and drains.
 */
const runModel = (commands: ReadonlyArray<Command>, advance: (ms: number) => Effect.Effect<void>) =>
  Effect.gen(function* () {
    const consumers = yield* Effect.forEach(["ranking", "metrics"], makeCountingConsumer)
    const pipeline = yield* Layer.build(InProcessPipelineMemory(consumers.map((c) => c.consumer)))
    const store = Context.get(pipeline, OutboxRelayStore)
    const delivering = Context.get(pipeline, EventPublisher)
    const plan = { failAfter: null as number | null }
    // Sends the first `failAfter` events of a batch, then reports failure: a partial publish.
    const flaky = EventPublisher.of({
      publish: (events: ReadonlyArray<DomainEvent>) =>
        plan.failAfter === null
          ? delivering.publish(events)
          : Effect.zipRight(
              delivering.publish(events.slice(0, plan.failAfter)),
              Effect.fail(new EventPublishFailed({ reason: "injected" })),
            ),
    })
    const relays = yield* Effect.all([makeOutboxRelay, makeOutboxRelay, makeOutboxRelay]).pipe(
      Effect.provideService(EventPublisher, flaky),
      Effect.provideService(OutboxRelaySettings, { batchSize: 3, leaseMs: LEASE, pollInterval: "1 second" }),
      Effect.provide(pipeline),
    )
    let crashes = 0
    for (const c of commands) {
      switch (c.t) {
        case "append":
          yield* appendInTransaction(c.products, !c.commit)
          break
        case "relay":
          plan.failAfter = c.failAfter
          yield* Effect.ignore(relays[c.relay]!.relayOnce)
          plan.failAfter = null
          break
        case "relayAll":
          yield* Effect.all(
            relays.map((relay) => Effect.ignore(relay.relayOnce)),
            { concurrency: "unbounded" },
          )
          break
        case "failConsumer":
          consumers[c.consumer]!.plan.failures += c.times
          break
        case "duplicate": {
          // A redelivery from outside the relay (a producer retry, a consumer group rebalance).
          const committed = yield* committedEvents
          if (committed.length > 0) yield* Effect.ignore(delivering.publish([committed[c.pick % committed.length]!]))
          break
        }
        case "crash":
          crashes += 1
          yield* store.claim(c.claim, `crashed-${crashes}`, LEASE)
          break
        case "tick":
          yield* advance(LEASE)
          break
      }
    }
    for (const consumer of consumers) consumer.plan.failures = 0
    yield* advance(LEASE)
    yield* relays[0]!.drain
    const committed = yield* committedEvents
    const ids = committed.map((event) => event.eventId)
    for (const consumer of consumers) {
      expect(yield* consumer.counts).toEqual(exactlyOnce(ids))
      expect(consumer.applied.map((event) => event.eventId).sort()).toEqual([...ids].sort())
      if (!commands.some((c) => c.t === "duplicate"))
        expect(byAggregate(consumer.applied)).toEqual(byAggregate(committed))
    }
    expect(yield* store.counts).toEqual({ pending: 0, claimed: 0 })
  })

describe("Pipeline model", () => {
  it(
    "under any interleaving of appends, relays, faults and redeliveries each consumer applies exactly the committed events once",
    () =>
      fc.assert(
        fc.asyncProperty(fc.array(command, { maxLength: 40 }), (commands) => {
          const { clock, advance } = manualClock()
          return Effect.runPromise(
            runModel(commands, advance).pipe(Effect.scoped, Effect.provide(memoryBase()), Effect.withClock(clock)),
          )
        }),
        { numRuns: 100 },
      ),
    30_000,
  )
})
