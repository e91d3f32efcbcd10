import {
  ConsumerRunner,
  type EventConsumer,
  EventPublisher,
  EventPublishFailed,
  type InvalidInput,
  validateConsumers,
} from "@commerce-core/domain"
import { Cause, Effect, Layer } from "effect"

const describe = (cause: Cause.Cause<unknown>) => {
  const error = Cause.squash(cause)
  return error instanceof Error ? error.message : String(error)
}

/**
 * Publishes by delivering the batch to every consumer in turn through the ConsumerRunner: one
 * inbox-guarded transaction per consumer, events in outbox order, inside the relay's fiber.
 * The first failing consumer fails the whole publish, so the relay publishes the batch again;
 * consumers that already handled it skip it through their inbox. A consumer that keeps failing
 * therefore holds back the events after it, like a stuck Kafka partition would.
 */
export const EventPublisherInProcess = (
  consumers: ReadonlyArray<EventConsumer>,
): Layer.Layer<EventPublisher, InvalidInput, ConsumerRunner> =>
  Layer.effect(
    EventPublisher,
    Effect.gen(function* () {
      const registered = yield* validateConsumers(consumers)
      const runner = yield* ConsumerRunner
      return EventPublisher.of({
        publish: (events) =>
          Effect.forEach(
            registered,
            (consumer) =>
              runner.deliverBatch(consumer, events).pipe(
                Effect.catchAllCause((cause) =>
                  Cause.isInterruptedOnly(cause)
                    ? Effect.interrupt
                    : Effect.fail(
                        new EventPublishFailed({
                          reason: `consumer ${consumer.name} failed on a batch of ${events.length} from ${events[0]?._tag} ${events[0]?.eventId}: ${describe(cause)}`,
                        }),
                      ),
                ),
              ),
            { discard: true },
          ),
      })
    }),
  )
