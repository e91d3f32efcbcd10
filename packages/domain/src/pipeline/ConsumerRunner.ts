import { Context, Effect, Layer } from "effect"
import type { DomainEvent } from "../events/DomainEvent.js"
import { InvalidInput, type PersistenceUnavailable } from "../shared/DomainError.js"
import { Transactor } from "../shared/Transactor.js"
import type { EventConsumer } from "./EventConsumer.js"
import { EventInbox } from "./EventInbox.js"

/** "handled": the consumer ran and its effects committed; "duplicate": it had handled the event before. */
export type DeliveryOutcome = "handled" | "duplicate"

/**
 * Runs one consumer on one event exactly once per (consumer name, eventId): the inbox mark and
 * the handler's writes share one transaction, so a failing handler leaves neither behind and
 * the next delivery runs it again, while a repeated delivery of a handled event does nothing.
 * This is how at-least-once delivery becomes exactly-once effects.
 */
export const deliver = (
  consumer: EventConsumer,
  event: DomainEvent,
): Effect.Effect<DeliveryOutcome, PersistenceUnavailable, Transactor | EventInbox> =>
  Effect.gen(function* () {
    const tx = yield* Transactor
    const inbox = yield* EventInbox
    return yield* tx.withTransaction(
      Effect.gen(function* () {
        const first = yield* inbox.markHandled(consumer.name, event.eventId)
        if (!first) return "duplicate" as const
        yield* consumer.handle(event)
        return "handled" as const
      }),
    )
  })

export class ConsumerRunner extends Context.Tag("@commerce-core/domain/ConsumerRunner")<
  ConsumerRunner,
  {
    readonly deliver: (
      consumer: EventConsumer,
      event: DomainEvent,
    ) => Effect.Effect<DeliveryOutcome, PersistenceUnavailable>
  }
>() {}

export const ConsumerRunnerLive = Layer.effect(
  ConsumerRunner,
  Effect.gen(function* () {
    const context = yield* Effect.context<Transactor | EventInbox>()
    return ConsumerRunner.of({
      deliver: (consumer, event) => Effect.provide(deliver(consumer, event), context),
    })
  }),
)

const CONSUMER_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/

/**
 * Checks a set of consumers before they are registered: names are the inbox keys, so each
 * must be a short identifier and unique (two consumers sharing a name would skip each
 * other's events).
 */
export const validateConsumers = (
  consumers: ReadonlyArray<EventConsumer>,
): Effect.Effect<ReadonlyArray<EventConsumer>, InvalidInput> => {
  const seen = new Set<string>()
  for (const consumer of consumers) {
    if (!CONSUMER_NAME.test(consumer.name))
      return Effect.fail(
        new InvalidInput({
          field: "consumer.name",
          reason: `"${consumer.name}" must be 1 to 100 letters, digits or . _ : - and start with a letter or digit`,
        }),
      )
    if (seen.has(consumer.name))
      return Effect.fail(new InvalidInput({ field: "consumer.name", reason: `"${consumer.name}" is registered twice` }))
    seen.add(consumer.name)
  }
  return Effect.succeed(consumers)
}
