import { Layer } from "effect"
import { EventOutboxMemory, OutboxTableMemoryLive } from "../../src/EventOutboxMemory.js"
import { IdGeneratorRandom } from "../../src/IdGeneratorRandom.js"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { TransactorMemory } from "../../src/TransactorMemory.js"

/** A fresh database with its outbox tables, the appending port, transactions and ids. */
export const memoryBase = () =>
  Layer.mergeAll(EventOutboxMemory, TransactorMemory).pipe(
    Layer.provideMerge(OutboxTableMemoryLive),
    Layer.provideMerge(Layer.merge(MemoryDatabaseLive, IdGeneratorRandom)),
  )
