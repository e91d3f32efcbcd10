import { Context, type Effect } from "effect"
import type { DomainEvent } from "../events/DomainEvent.js"
import type { EventPublishFailed } from "./PipelineErrors.js"

/**
 * Hands events to the transport (Kafka in production, the in-process consumers when
 * embedded). Events arrive in outbox order and the publisher must keep that order for events
 * of one `aggregateKey` (Kafka: the key picks the partition). Success means every event of
 * the batch was accepted; on failure any prefix may have gone out, so consumers see
 * duplicates, never gaps.
 */
export class EventPublisher extends Context.Tag("@commerce-core/domain/EventPublisher")<
  EventPublisher,
  {
    readonly publish: (events: ReadonlyArray<DomainEvent>) => Effect.Effect<void, EventPublishFailed>
  }
>() {}
