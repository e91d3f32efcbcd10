import { Arbitrary, FastCheck as fc } from "effect"
import { DomainEvent } from "../../src/events/DomainEvent.js"
import { aggregateKey } from "../../src/events/EventFields.js"

/**
 * Times a service can stamp (the clock's now, or a tally's last view): stores may hold no
 * more (SQL DATETIME spans the years 1000 to 9999).
 */
const occurredAt = fc.date({
  min: new Date("1970-01-01T00:00:00.000Z"),
  max: new Date("2199-12-31T23:59:59.999Z"),
  noInvalidDate: true,
})

/** Few aggregates, so that generated events share them as real ones do. */
const aggregate = fc
  .tuple(
    fc.constantFrom("user", "brand", "product", "order", "coupon") as fc.Arbitrary<keyof typeof aggregateKey>,
    fc.integer({ min: 1, max: 3 }),
  )
  .map(([kind, id]) => aggregateKey[kind](id))

/**
 * Any event the DomainEvent schema admits, with a stamp and an aggregate key a service could
 * give it; a free-text field (PaymentFailed's reason) holds any Unicode text. Built with the
 * fast-check of `effect` (its `Arbitrary` module's), so run it with that one's `assert`.
 */
export const domainEventArb: fc.Arbitrary<DomainEvent> = fc
  .tuple(Arbitrary.make(DomainEvent), occurredAt, aggregate, fc.string({ unit: "grapheme", maxLength: 40 }))
  .map(([event, at, key, text]) => {
    const stamped = { ...event, occurredAt: at, aggregateKey: key }
    return (stamped._tag === "PaymentFailed" ? { ...stamped, reason: text } : stamped) as DomainEvent
  })

/** Events with distinct ids (event ids are unique in every store), in generation order. */
export const domainEventsArb = (maxLength: number): fc.Arbitrary<Array<DomainEvent>> =>
  fc.uniqueArray(domainEventArb, { selector: (event) => event.eventId, maxLength })
