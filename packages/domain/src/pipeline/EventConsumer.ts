import type { Effect } from "effect"
import type { DomainEvent, DomainEventTag } from "../events/DomainEvent.js"
import type { PersistenceUnavailable } from "../shared/DomainError.js"

/**
 * A named handler of domain events (metrics, ranking, cache invalidation, export). The
 * pipeline runs it inside a transaction guarded by the inbox, so a handler may assume it sees
 * each event once per consumer name; it must ignore events it does not care about.
 * The name is the inbox key: changing it replays history into the consumer.
 */
export interface EventConsumer {
  readonly name: string
  /**
   * The only event types the consumer acts on. Other events are not delivered and leave no
   * inbox mark (without this every product view would cost an order counter an inbox write).
   * Absent: every event is delivered.
   */
  readonly interestedIn?: ReadonlySet<DomainEventTag>
  readonly handle: (event: DomainEvent) => Effect.Effect<void, PersistenceUnavailable>
  /**
   * Applies several events at once, in one transaction with their inbox marks. It must leave the
   * same state as `handle` on each event in order; consumers whose effects add up (counters,
   * board points) use it to write one row per key instead of one per event. Absent: `handle`
   * runs on each event.
   */
  readonly handleBatch?: (events: ReadonlyArray<DomainEvent>) => Effect.Effect<void, PersistenceUnavailable>
}

/** Whether the consumer wants this event (see `interestedIn`). */
export const isInterestedIn = (consumer: EventConsumer, event: DomainEvent): boolean =>
  consumer.interestedIn === undefined || consumer.interestedIn.has(event._tag)
