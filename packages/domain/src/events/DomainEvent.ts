import { Clock, Effect, Schema } from "effect"
import { IdGenerator } from "../shared/IdGenerator.js"
import type { EventId } from "../shared/Ids.js"
import * as CatalogEvents from "./CatalogEvents.js"
import * as CouponEvents from "./CouponEvents.js"
import * as OrderEvents from "./OrderEvents.js"
import * as PointEvents from "./PointEvents.js"
import * as UserEvents from "./UserEvents.js"

/** Every event the domain raises; the schema is also the wire format (JSON) of the pipeline. */
export const DomainEvent = Schema.Union(
  UserEvents.UserSignedUp,
  PointEvents.PointsCharged,
  PointEvents.PointsUsed,
  PointEvents.PointsRefunded,
  CatalogEvents.BrandCreated,
  CatalogEvents.BrandActivationChanged,
  CatalogEvents.ProductCreated,
  CatalogEvents.ProductUpdated,
  CatalogEvents.ProductViewed,
  CatalogEvents.StockAdjusted,
  CatalogEvents.StockDecreased,
  CatalogEvents.StockRestored,
  CatalogEvents.ProductLiked,
  CatalogEvents.ProductUnliked,
  OrderEvents.OrderPlaced,
  OrderEvents.OrderPaid,
  OrderEvents.OrderCancelled,
  OrderEvents.PaymentFailed,
  CouponEvents.CouponIssued,
  CouponEvents.CouponUsed,
  CouponEvents.CouponRestored,
)
export type DomainEvent = typeof DomainEvent.Type
export type DomainEventTag = DomainEvent["_tag"]

export type EventOfTag<T extends DomainEventTag> = Extract<DomainEvent, { readonly _tag: T }>

/** The fields a caller supplies; id, time and tag are filled in by `newEvent`. */
export type EventInput<T extends DomainEventTag> = Omit<EventOfTag<T>, "_tag" | "eventId" | "occurredAt">

/**
 * `{ ...fields, eventId }` is slow in this V8 (about 1 us per key added after a spread), so the
 * stamps go first and are written again after the spread, which keeps them authoritative.
 */
const stamped = (fields: object, tag: DomainEventTag, eventId: EventId, occurredAt: Date): DomainEvent => {
  const event = { _tag: tag, eventId, occurredAt, ...fields }
  event._tag = tag
  event.eventId = eventId
  event.occurredAt = occurredAt
  return event as unknown as DomainEvent
}

/** Like `stampEvent`, for an event that happened at a known earlier time. */
export const stampEventAt = <T extends DomainEventTag>(
  ids: IdGenerator["Type"],
  tag: T,
  fields: EventInput<T>,
  occurredAt: Date,
): Effect.Effect<EventOfTag<T>> =>
  Effect.map(ids.eventId, (eventId) => stamped(fields, tag, eventId, occurredAt) as EventOfTag<T>)

/**
 * Stamps an event id from `ids` and the current time on an event of the given tag; for
 * services that captured their IdGenerator when their layer was built (no context lookup).
 * Plain flatMap/map: Effect.zipWith goes through Effect.all and costs about ten times more.
 */
export const stampEvent = <T extends DomainEventTag>(
  ids: IdGenerator["Type"],
  tag: T,
  fields: EventInput<T>,
): Effect.Effect<EventOfTag<T>> =>
  Effect.flatMap(ids.eventId, (eventId) =>
    Effect.map(Clock.currentTimeMillis, (now) => stamped(fields, tag, eventId, new Date(now)) as EventOfTag<T>),
  )

/**
 * Stamps a batch of drafts (each carrying its `_tag`) with fresh ids, in order, and one reading
 * of the clock; one request for ids for the whole batch. The events share one `occurredAt` Date
 * (events are immutable): stores keep every event, and a Date costs about 100 bytes of heap.
 */
export const stampEvents = (
  ids: IdGenerator["Type"],
  drafts: ReadonlyArray<{ readonly _tag: DomainEventTag }>,
): Effect.Effect<Array<DomainEvent>> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.map(ids.eventIds(drafts.length), (eventIds) => stampWith(drafts, eventIds, new Date(now))),
  )

/** Stamps drafts with the given ids (one each, in order) and time; see `stampEvents`. */
export const stampWith = (
  drafts: ReadonlyArray<{ readonly _tag: DomainEventTag }>,
  eventIds: ReadonlyArray<EventId>,
  occurredAt: Date,
): Array<DomainEvent> => drafts.map((draft, i) => stamped(draft, draft._tag, eventIds[i] as EventId, occurredAt))

/** Stamps a fresh event id and the current time on an event of the given tag. */
export const newEvent = <T extends DomainEventTag>(
  tag: T,
  fields: EventInput<T>,
): Effect.Effect<EventOfTag<T>, never, IdGenerator> =>
  Effect.flatMap(IdGenerator, (ids) => stampEvent(ids, tag, fields))

/** JSON text of an event, as the outbox stores it and the relay publishes it. */
export const encodeEventJson = Schema.encodeSync(Schema.parseJson(DomainEvent))
/** Parses an event from JSON text; fails on anything that is not a known, valid event. */
export const decodeEventJson = Schema.decodeUnknown(Schema.parseJson(DomainEvent))
