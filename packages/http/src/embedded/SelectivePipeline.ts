import { EventInboxMemory, EventPublisherInProcess, OutboxRelayStoreMemory } from "@commerce-core/adapters-memory"
import { ConsumerRunner, ConsumerRunnerLive, type EventConsumer, OutboxRelayLive } from "@commerce-core/domain"
import { Effect, Layer } from "effect"

const interestOf = (consumer: EventConsumer) =>
  "interestedIn" in consumer && consumer.interestedIn instanceof Set
    ? (consumer.interestedIn as ReadonlySet<string>)
    : undefined

/**
 * The in-process pipeline of adapters-memory (relay -> in-process publisher -> inbox-guarded
 * consumers), except that an event a consumer declared no interest in is not delivered to
 * it: without this every product view would cost the HTTP metrics consumer an inbox
 * transaction only to be ignored. Consumers without a declaration get every event, as before.
 */
export const selectivePipeline = <E, R>(consumers: Effect.Effect<ReadonlyArray<EventConsumer>, E, R>) => {
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
  ).pipe(Layer.provide(ConsumerRunnerLive.pipe(Layer.provide(EventInboxMemory))))
  const publisher = Layer.unwrapEffect(Effect.map(consumers, EventPublisherInProcess))
  return OutboxRelayLive.pipe(
    Layer.provideMerge(Layer.merge(OutboxRelayStoreMemory, publisher)),
    Layer.provideMerge(runner),
  )
}
