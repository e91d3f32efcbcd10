import { EventInboxMemory, EventPublisherInProcess, OutboxRelayStoreMemory } from "@commerce-core/adapters-memory"
import {
  ConsumerRunnerLive,
  type EventConsumer,
  type EventInbox,
  OutboxRelayLive,
  type OutboxRelayStore,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"

/** Where the pipeline keeps its state: the relay's leases and the consumers' inbox. */
export interface PipelineStores<EI, RI, ES, RS> {
  readonly inbox: Layer.Layer<EventInbox, EI, RI>
  readonly relayStore: Layer.Layer<OutboxRelayStore, ES, RS>
}

/**
 * The in-process pipeline (relay -> in-process publisher -> inbox-guarded consumers) over the
 * given stores. Consumers that declare `interestedIn` receive only those events (the runner
 * leaves the others out before their inbox).
 */
export const selectivePipelineOver =
  <EI, RI, ES, RS>(stores: PipelineStores<EI, RI, ES, RS>) =>
  <E, R>(consumers: Effect.Effect<ReadonlyArray<EventConsumer>, E, R>) => {
    const runner = ConsumerRunnerLive.pipe(Layer.provideMerge(stores.inbox))
    const publisher = Layer.unwrapEffect(Effect.map(consumers, EventPublisherInProcess))
    return OutboxRelayLive.pipe(
      Layer.provideMerge(Layer.merge(stores.relayStore, publisher)),
      Layer.provideMerge(runner),
    )
  }

/** The selective pipeline on the memory adapters' relay store and inbox. */
export const selectivePipeline = selectivePipelineOver({ inbox: EventInboxMemory, relayStore: OutboxRelayStoreMemory })
