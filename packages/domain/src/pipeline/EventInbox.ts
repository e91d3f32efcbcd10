import { Context, type Effect } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { EventId } from "../shared/Ids.js"

/**
 * Which events each consumer has handled, unique per (consumer, eventId) (SQL: the
 * `event_handled` table's primary key). Called inside the transaction that applies the
 * consumer's effects, so the mark commits or rolls back together with them.
 */
export class EventInbox extends Context.Tag("@commerce-core/domain/EventInbox")<
  EventInbox,
  {
    /**
     * Records each event as handled by the consumer, in order, in one step where the store
     * allows: one flag per id, true where this call made the mark, false where the mark was
     * there before (an id repeated in the list is true once at most).
     */
    readonly markHandledAll: (
      consumer: string,
      eventIds: ReadonlyArray<EventId>,
    ) => Effect.Effect<ReadonlyArray<boolean>, PersistenceUnavailable>
    readonly isHandled: (consumer: string, eventId: EventId) => Effect.Effect<boolean, PersistenceUnavailable>
  }
>() {}
