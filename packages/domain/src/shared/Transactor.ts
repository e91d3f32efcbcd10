import { Context, type Effect } from "effect"
import type { PersistenceUnavailable } from "./DomainError.js"

/**
 * Runs an effect atomically: every write made through the ports inside it commits together,
 * or none does when it fails, dies or is interrupted. Nested calls join the outer transaction.
 * Adapters retry deadlocks and lock timeouts outside the transaction, never inside it.
 */
export class Transactor extends Context.Tag("@commerce-core/domain/Transactor")<
  Transactor,
  {
    readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | PersistenceUnavailable, R>
  }
>() {}
