import type { Effect } from "effect"
import type { DomainEvent } from "../events/DomainEvent.js"
import type { PersistenceUnavailable } from "../shared/DomainError.js"

/**
 * A named handler of domain events (metrics, ranking, cache invalidation, export). The
 * pipeline runs `handle` inside a transaction guarded by the inbox, so a handler may assume
 * it sees each event once per consumer name; it must ignore events it does not care about.
 * The name is the inbox key: changing it replays history into the consumer.
 */
export interface EventConsumer {
  readonly name: string
  readonly handle: (event: DomainEvent) => Effect.Effect<void, PersistenceUnavailable>
}
