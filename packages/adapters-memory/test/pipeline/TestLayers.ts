import {
  aggregateKey,
  type DomainEvent,
  EventOutbox,
  EventPublisher,
  EventPublishFailed,
  newEvent,
  ProductId,
  Transactor,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { EventOutboxMemory, OutboxTableMemory, OutboxTableMemoryLive } from "../../src/EventOutboxMemory.js"
import { IdGeneratorRandom } from "../../src/IdGeneratorRandom.js"
import { MemoryDatabase, MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { OutboxRelayStoreMemory } from "../../src/pipeline/OutboxRelayStoreMemory.js"
import { TransactorMemory } from "../../src/TransactorMemory.js"

/** A fresh database with its outbox tables, the appending port, transactions and ids. */
export const memoryBase = () =>
  Layer.mergeAll(EventOutboxMemory, TransactorMemory).pipe(
    Layer.provideMerge(OutboxTableMemoryLive),
    Layer.provideMerge(Layer.merge(MemoryDatabaseLive, IdGeneratorRandom)),
  )

/**
 * What a publisher received, in order. `failAfter(call)` returns how many events of that
 * (1-based) call go out before it fails; undefined lets the call succeed.
 */
export class PublisherRecorder {
  readonly received: Array<DomainEvent> = []
  calls = 0
  constructor(readonly failAfter: (call: number) => number | undefined = () => undefined) {}

  readonly publish = (events: ReadonlyArray<DomainEvent>): Effect.Effect<void, EventPublishFailed> =>
    Effect.gen(this, function* () {
      this.calls += 1
      const limit = this.failAfter(this.calls)
      for (const [i, event] of events.entries()) {
        if (limit !== undefined && i >= limit) return yield* new EventPublishFailed({ reason: "broker down" })
        this.received.push(event)
        // Let other relays run between events, as a network round trip would.
        yield* Effect.yieldNow()
      }
      if (limit !== undefined) return yield* new EventPublishFailed({ reason: "no acknowledgement" })
    })
}

/** The memory relay store and a recording publisher over a fresh database. */
export const relayBase = (recorder: PublisherRecorder) =>
  Layer.merge(
    OutboxRelayStoreMemory,
    Layer.succeed(EventPublisher, EventPublisher.of({ publish: recorder.publish })),
  ).pipe(Layer.provideMerge(memoryBase()))

export const viewed = (product: number) =>
  newEvent("ProductViewed", {
    views: 1,
    aggregateKey: aggregateKey.product(product),
    productId: ProductId.make(product),
  })

/** Appends one event per product id in one transaction; `rollback` fails the transaction after appending. */
export const appendInTransaction = (products: ReadonlyArray<number>, rollback = false) =>
  Effect.gen(function* () {
    const outbox = yield* EventOutbox
    const tx = yield* Transactor
    const events = yield* Effect.forEach(products, viewed)
    const appended = tx.withTransaction(
      Effect.zipRight(outbox.append(events), rollback ? Effect.fail("rolled back" as const) : Effect.void),
    )
    yield* Effect.ignore(appended)
    return events
  })

/** Committed outbox events in sequence order. */
export const committedEvents = Effect.gen(function* () {
  const db = yield* MemoryDatabase
  const table = yield* OutboxTableMemory
  const rows = yield* db.read((view) => view.values(table))
  return rows.sort((a, b) => a.sequence - b.sequence).map((row) => row.event)
})
