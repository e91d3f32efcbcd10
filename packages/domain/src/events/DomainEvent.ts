import { Clock, Effect, Schema } from "effect"
import { IdGenerator } from "../shared/IdGenerator.js"
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
 * Stamps an event id from `ids` and the current time on an event of the given tag; for
 * services that captured their IdGenerator when their layer was built (no context lookup).
 */
export const stampEvent = <T extends DomainEventTag>(
  ids: IdGenerator["Type"],
  tag: T,
  fields: EventInput<T>,
): Effect.Effect<EventOfTag<T>> =>
  Effect.zipWith(
    ids.eventId,
    Clock.currentTimeMillis,
    (eventId, now) => ({ ...fields, _tag: tag, eventId, occurredAt: new Date(now) }) as unknown as EventOfTag<T>,
  )

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
