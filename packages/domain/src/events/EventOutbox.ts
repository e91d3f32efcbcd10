import { Context, type Effect } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { DomainEvent } from "./DomainEvent.js"

/**
 * Appends events to the transactional outbox. Called inside `Transactor.withTransaction`, so
 * an event is stored exactly when the state change that raised it commits.
 */
export class EventOutbox extends Context.Tag("@commerce-core/domain/EventOutbox")<
  EventOutbox,
  {
    readonly append: (events: ReadonlyArray<DomainEvent>) => Effect.Effect<void, PersistenceUnavailable>
  }
>() {}
