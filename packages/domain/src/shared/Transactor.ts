import { Context, type Effect } from "effect"
import type { PersistenceUnavailable } from "./DomainError.js"

/**
 * Runs an effect atomically: every write made through the ports inside it commits together,
 * or none does when it fails, dies or is interrupted. Nested calls join the outer transaction
 * as a savepoint: a nested call that fails is undone alone (the outer one may go on and
 * commit), and a nested call that succeeded is undone with the outer one. Writes are not
 * visible outside the transaction before it commits. Adapters retry deadlocks and lock
 * timeouts outside the transaction, never inside it. `transactorContract` (testing) checks all
 * of this.
 */
export class Transactor extends Context.Tag("@commerce-core/domain/Transactor")<
  Transactor,
  {
    readonly withTransaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | PersistenceUnavailable, R>
  }
>() {}
