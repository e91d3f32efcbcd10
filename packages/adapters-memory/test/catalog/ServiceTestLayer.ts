import {
  CartServiceLive,
  CatalogServiceLive,
  type DomainEvent,
  EventOutbox,
  LikeServiceLive,
  makeProductViewTally,
  PersistenceUnavailable,
  ProductViewTally,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import {
  CartRepositoryMemory,
  CatalogMemory,
  EventOutboxMemory,
  IdGeneratorRandom,
  LikeRepositoryMemory,
  MemoryDatabase,
  MemoryDatabaseLive,
  OutboxTableMemory,
  OutboxTableMemoryLive,
  TransactorMemory,
} from "../../src/index.js"

const stores = Layer.mergeAll(CatalogMemory, LikeRepositoryMemory, CartRepositoryMemory, TransactorMemory)

/** An outbox whose appends always fail: proves that a change and its event commit together. */
const FailingOutbox = Layer.succeed(
  EventOutbox,
  EventOutbox.of({ append: () => Effect.fail(new PersistenceUnavailable({ reason: "outbox down" })) }),
)

const build = <R extends MemoryDatabase | Layer.Layer.Success<typeof OutboxTableMemoryLive>>(
  outbox: Layer.Layer<EventOutbox, never, R>,
) => {
  const infra = Layer.mergeAll(stores, outbox, IdGeneratorRandom).pipe(
    Layer.provideMerge(OutboxTableMemoryLive),
    Layer.provideMerge(MemoryDatabaseLive),
  )
  // views reach the outbox when a test flushes the tally
  const tally = Layer.effect(ProductViewTally, makeProductViewTally)
  return Layer.mergeAll(CatalogServiceLive, LikeServiceLive, CartServiceLive).pipe(
    Layer.provideMerge(tally),
    Layer.provideMerge(infra),
  )
}

/** The catalog, like and cart services with their ports, on a fresh memory store. */
export const makeServices = () => build(EventOutboxMemory)

/** The same, but every outbox append fails. */
export const makeServicesWithFailingOutbox = () => build(FailingOutbox)

/** Every event in the outbox, in the order written. */
export const outboxEvents = Effect.gen(function* () {
  const db = yield* MemoryDatabase
  const table = yield* OutboxTableMemory
  const rows = yield* db.read((view) => view.values(table))
  return rows.sort((a, b) => a.sequence - b.sequence).map((row) => row.event as DomainEvent)
})

export const eventTags = Effect.map(outboxEvents, (events) => events.map((e) => e._tag))
