import {
  type BusinessDate,
  type DomainEvent,
  type EventConsumer,
  EventOutbox,
  PageRequest,
  ProductMetricsConsumer,
  ProductMetricsConsumerLive,
  ProductMetricsRepository,
  RankingBoard,
  RankingConsumer,
  RankingConsumerLive,
  RankingServiceLive,
  RankingWeightsDefault,
  Transactor,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { EventOutboxMemory, OutboxTableMemory, OutboxTableMemoryLive } from "../../src/EventOutboxMemory.js"
import { IdGeneratorRandom } from "../../src/IdGeneratorRandom.js"
import { MemoryDatabase, MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { RankingMemory } from "../../src/ranking/RankingMemory.js"
import { TransactorMemory } from "../../src/TransactorMemory.js"

const infrastructure = Layer.mergeAll(
  RankingMemory,
  TransactorMemory,
  IdGeneratorRandom,
  RankingWeightsDefault,
  EventOutboxMemory.pipe(Layer.provideMerge(OutboxTableMemoryLive)),
).pipe(Layer.provideMerge(MemoryDatabaseLive))

/** Everything ranking needs in memory, plus the outbox the events go through. */
export const rankingTestLayer = () =>
  Layer.mergeAll(RankingConsumerLive, ProductMetricsConsumerLive, RankingServiceLive).pipe(
    Layer.provideMerge(infrastructure),
  )

/** Writes events the way services do: appended to the outbox inside a transaction. */
export const appendToOutbox = (events: ReadonlyArray<DomainEvent>) =>
  Effect.gen(function* () {
    const tx = yield* Transactor
    const outbox = yield* EventOutbox
    yield* tx.withTransaction(outbox.append(events))
  })

/** What a relay would publish: the outbox's events in outbox order. */
export const outboxEvents = Effect.gen(function* () {
  const db = yield* MemoryDatabase
  const table = yield* OutboxTableMemory
  const entries = yield* db.read((view) => view.values(table))
  return [...entries].sort((a, b) => a.sequence - b.sequence).map((entry) => entry.event)
})

/**
 * Stands in for the pipeline's inbox: runs `handle` in a transaction at most once per
 * (consumer, eventId), recording the id in the same step, as `event_handled` does.
 */
export const makeInbox = Effect.gen(function* () {
  const tx = yield* Transactor
  const handled = new Set<string>()
  return (consumer: EventConsumer, event: DomainEvent) =>
    tx.withTransaction(
      Effect.suspend(() => {
        const key = `${consumer.name}/${event.eventId}`
        if (handled.has(key)) return Effect.void
        return Effect.tap(consumer.handle(event), () => Effect.sync(() => handled.add(key)))
      }),
    )
})

export const consumers = Effect.all([RankingConsumer, ProductMetricsConsumer])

const all = new PageRequest({ page: 0, size: 100 })

/** Every board and metrics row of the given days, for comparing final states. */
export const snapshot = (days: ReadonlyArray<BusinessDate>) =>
  Effect.gen(function* () {
    const board = yield* RankingBoard
    const metrics = yield* ProductMetricsRepository
    const boards = yield* Effect.forEach(days, (day) => Effect.map(board.top(day, all), (page) => page.items))
    const rows = yield* metrics.range(days[0]!, days.at(-1)!)
    return { boards, rows }
  })
