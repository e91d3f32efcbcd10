import { EventInboxMemory, EventPublisherInProcess, OutboxRelayStoreMemory } from "@commerce-core/adapters-memory"
import {
  ConsumerRunner,
  ConsumerRunnerLive,
  type EventConsumer,
  type EventInbox,
  OutboxRelayLive,
  type OutboxRelayStore,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"

const interestOf = (consumer: EventConsumer) =>
  "interestedIn" in consumer && consumer.interestedIn instanceof Set
    ? (consumer.interestedIn as ReadonlySet<string>)
    : undefined

/** Where the pipeline keeps its state: the relay's leases and the consumers' inbox. */
export interface PipelineStores<EI, RI, ES, RS> {
  readonly inbox: Layer.Layer<EventInbox, EI, RI>
  readonly relayStore: Layer.Layer<OutboxRelayStore, ES, RS>
}

/**
 * The in-process pipeline (relay -> in-process publisher -> inbox-guarded consumers) over
 * the given stores, except that an event a consumer declared no interest in is not
 * delivered to it: without this every product view would cost the HTTP metrics consumer an
 * inbox transaction only to be ignored. Consumers without a declaration get every event.
 */
export const selectivePipelineOver =
  <EI, RI, ES, RS>(stores: PipelineStores<EI, RI, ES, RS>) =>
  <E, R>(consumers: Effect.Effect<ReadonlyArray<EventConsumer>, E, R>) => {
    const runner = Layer.effect(
      ConsumerRunner,
      Effect.map(ConsumerRunner, (inner) =>
        ConsumerRunner.of({
          deliver: (consumer, event) => {
            const interest = interestOf(consumer)
            return interest === undefined || interest.has(event._tag)
              ? inner.deliver(consumer, event)
              : Effect.succeed("duplicate" as const)
          },
        }),
      ),
    ).pipe(Layer.provide(ConsumerRunnerLive.pipe(Layer.provide(stores.inbox))))
    const publisher = Layer.unwrapEffect(Effect.map(consumers, EventPublisherInProcess))
    return OutboxRelayLive.pipe(
      Layer.provideMerge(Layer.merge(stores.relayStore, publisher)),
      Layer.provideMerge(runner),
    )
  }

/** The selective pipeline on the memory adapters' relay store and inbox. */
export const selectivePipeline = selectivePipelineOver({ inbox: EventInboxMemory, relayStore: OutboxRelayStoreMemory })
