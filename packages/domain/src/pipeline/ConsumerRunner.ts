import { Context, Effect, Layer } from "effect"
import type { DomainEvent } from "../events/DomainEvent.js"
import { InvalidInput, type PersistenceUnavailable } from "../shared/DomainError.js"
import { Transactor } from "../shared/Transactor.js"
import { type EventConsumer, isInterestedIn } from "./EventConsumer.js"
import { EventInbox } from "./EventInbox.js"

/**
 * "handled": the consumer ran and its effects committed; "duplicate": it had handled the event
 * before; "skipped": the consumer takes no interest in the event's type.
 */
export type DeliveryOutcome = "handled" | "duplicate" | "skipped"

export interface BatchDelivery {
  readonly handled: number
  readonly duplicates: number
  readonly skipped: number
}

/**
 * Runs one consumer on a batch of events exactly once per (consumer name, eventId): the inbox
 * marks and the handler's writes share one transaction, so a failing handler leaves neither
 * behind and the next delivery runs the batch again, while events handled before are left out.
 * This is how at-least-once delivery becomes exactly-once effects. Events the consumer takes
 * no interest in are left out before the transaction and leave no mark.
 */
export const deliverBatch = (
  consumer: EventConsumer,
  events: ReadonlyArray<DomainEvent>,
): Effect.Effect<BatchDelivery, PersistenceUnavailable, Transactor | EventInbox> => {
  const wanted = consumer.interestedIn === undefined ? events : events.filter((e) => isInterestedIn(consumer, e))
  const skipped = events.length - wanted.length
  if (wanted.length === 0) return Effect.succeed({ handled: 0, duplicates: 0, skipped })
  return Effect.flatMap(Effect.context<Transactor | EventInbox>(), (context) => {
    const tx = Context.get(context, Transactor)
    const inbox = Context.get(context, EventInbox)
    return tx.withTransaction(
      Effect.gen(function* () {
        const first = yield* inbox.markHandledAll(
          consumer.name,
          wanted.map((event) => event.eventId),
        )
        const fresh = wanted.filter((_, i) => first[i] === true)
        if (fresh.length > 0) {
          yield* consumer.handleBatch !== undefined
            ? consumer.handleBatch(fresh)
            : Effect.forEach(fresh, consumer.handle, { discard: true })
        }
        return { handled: fresh.length, duplicates: wanted.length - fresh.length, skipped }
      }),
    )
  })
}

/** `deliverBatch` of a single event. */
export const deliver = (
  consumer: EventConsumer,
  event: DomainEvent,
): Effect.Effect<DeliveryOutcome, PersistenceUnavailable, Transactor | EventInbox> =>
  Effect.map(deliverBatch(consumer, [event]), (outcome) =>
    outcome.skipped > 0 ? "skipped" : outcome.handled > 0 ? "handled" : "duplicate",
  )

export class ConsumerRunner extends Context.Tag("@commerce-core/domain/ConsumerRunner")<
  ConsumerRunner,
  {
    readonly deliver: (
      consumer: EventConsumer,
      event: DomainEvent,
    ) => Effect.Effect<DeliveryOutcome, PersistenceUnavailable>
    readonly deliverBatch: (
      consumer: EventConsumer,
      events: ReadonlyArray<DomainEvent>,
    ) => Effect.Effect<BatchDelivery, PersistenceUnavailable>
  }
>() {}

export const ConsumerRunnerLive = Layer.effect(
  ConsumerRunner,
  Effect.gen(function* () {
    const context = yield* Effect.context<Transactor | EventInbox>()
    return ConsumerRunner.of({
      deliver: (consumer, event) => Effect.provide(deliver(consumer, event), context),
      deliverBatch: (consumer, events) => Effect.provide(deliverBatch(consumer, events), context),
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
