import {
  type DomainEvent,
  defaultPointLimits,
  PasswordHasher,
  type PointLimits,
  PointPolicy,
  PointServiceLive,
  UserServiceLive,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { EventOutboxMemory, OutboxTableMemory, OutboxTableMemoryLive } from "../../src/EventOutboxMemory.js"
import { IdGeneratorRandom } from "../../src/IdGeneratorRandom.js"
import { MemoryDatabase, MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { PointWalletRepositoryMemory } from "../../src/points/PointWalletRepositoryMemory.js"
import { TransactorMemory } from "../../src/TransactorMemory.js"
import { UserRepositoryMemory } from "../../src/users/UserRepositoryMemory.js"

/** A fast, deterministic stand-in for scrypt that counts verifications. */
export const makeCountingHasher = () => {
  const counts = { hash: 0, verify: 0 }
  const digest = (plain: string) => `test$${[...plain].reverse().join("")}`
  const hasher = PasswordHasher.of({
    hash: (plain) =>
      Effect.sync(() => {
        counts.hash++
        return digest(plain)
      }),
    verify: (plain, hash) =>
      Effect.sync(() => {
        counts.verify++
        return hash === digest(plain)
      }),
  })
  return { counts, layer: Layer.succeed(PasswordHasher, hasher) }
}

/** Every port the two services use, on one fresh memory store per build. */
export const infrastructure = Layer.mergeAll(
  TransactorMemory,
  EventOutboxMemory,
  UserRepositoryMemory,
  PointWalletRepositoryMemory,
  IdGeneratorRandom,
).pipe(Layer.provideMerge(OutboxTableMemoryLive), Layer.provideMerge(MemoryDatabaseLive))

/**
 * UserService and PointService on a fresh memory store, with every port they use exposed so
 * tests can look behind the services. Each call builds a new, empty store.
 */
export const makeServices = (options: { hasher?: Layer.Layer<PasswordHasher>; limits?: PointLimits } = {}) =>
  Layer.mergeAll(UserServiceLive, PointServiceLive).pipe(
    Layer.provideMerge(options.hasher ?? makeCountingHasher().layer),
    Layer.provideMerge(Layer.succeed(PointPolicy, options.limits ?? defaultPointLimits)),
    Layer.provideMerge(infrastructure),
  )

/** Every event in the outbox, in the order it was appended. */
export const outboxEvents = Effect.gen(function* () {
  const db = yield* MemoryDatabase
  const table = yield* OutboxTableMemory
  const rows = yield* db.read((view) => view.values(table))
  return rows.sort((a, b) => a.sequence - b.sequence).map((row): DomainEvent => row.event)
})
