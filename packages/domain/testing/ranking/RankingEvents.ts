import { Effect } from "effect"
import * as fc from "fast-check"
import { type DomainEvent, newEvent } from "../../src/events/DomainEvent.js"
import { aggregateKey } from "../../src/events/EventFields.js"
import type { IdGenerator } from "../../src/shared/IdGenerator.js"
import { OrderId, ProductId, UserId } from "../../src/shared/Ids.js"
import * as Money from "../../src/shared/Money.js"
import { Quantity, StockLevel } from "../../src/shared/Quantity.js"
import * as SeoulCalendar from "../../src/shared/SeoulCalendar.js"

/** A compact description of an event that rankings or metrics may care about. */
export type RankingEventSpec =
  | {
      readonly kind: "view" | "like" | "unlike" | "restock"
      readonly productId: number
      readonly day: number
      readonly minute: number
      /** How many views a "view" stands for (a tallied ProductViewed); 1 when absent. */
      readonly views?: number
    }
  | {
      readonly kind: "paid" | "placed" | "cancelled"
      readonly orderId: number
      readonly lines: ReadonlyArray<{
        readonly productId: number
        readonly quantity: number
        readonly unitPrice: number
      }>
      readonly day: number
      readonly minute: number
    }

/** Seoul midnight of the first day events are spread over (2026-11-20). */
export const rankingEventsFirstDay = "20261120"

const productIdArb = (maxProducts: number) => fc.integer({ min: 1, max: maxProducts })

/**
 * Events over `days` Seoul days for products 1..maxProducts: views, likes, unlikes, paid
 * orders, and events the ranking must ignore (restocks, placed and cancelled orders).
 */
export const rankingEventSpecArb = (maxProducts = 8, days = 2): fc.Arbitrary<RankingEventSpec> => {
  const when = { day: fc.integer({ min: 0, max: days - 1 }), minute: fc.integer({ min: 0, max: 24 * 60 - 1 }) }
  const single = fc.record({
    kind: fc.constantFrom("view" as const, "like" as const, "unlike" as const, "restock" as const),
    productId: productIdArb(maxProducts),
    views: fc.integer({ min: 1, max: 3 }),
    ...when,
  })
  const order = fc.record({
    kind: fc.constantFrom("paid" as const, "paid" as const, "placed" as const, "cancelled" as const),
    orderId: fc.integer({ min: 1, max: 1_000_000 }),
    lines: fc.uniqueArray(
      fc.record({
        productId: productIdArb(maxProducts),
        quantity: fc.integer({ min: 1, max: 5 }),
        unitPrice: fc.integer({ min: 0, max: 50_000 }),
      }),
      { minLength: 1, maxLength: 4, selector: (line) => line.productId },
    ),
    ...when,
  })
  return fc.oneof({ arbitrary: single, weight: 3 }, { arbitrary: order, weight: 1 })
}

const userId = UserId.make(1)

/** Builds the event with `newEvent` (fresh event id) and dates it inside its Seoul day. */
export const buildRankingEvent = (spec: RankingEventSpec): Effect.Effect<DomainEvent, never, IdGenerator> => {
  const occurredAt = new Date(
    SeoulCalendar.startOfDay(SeoulCalendar.addDays(rankingEventsFirstDay, spec.day)) + spec.minute * 60_000,
  )
  const build = (): Effect.Effect<DomainEvent, never, IdGenerator> => {
    switch (spec.kind) {
      case "view":
        return newEvent("ProductViewed", {
          aggregateKey: aggregateKey.product(spec.productId),
          productId: ProductId.make(spec.productId),
          views: spec.views ?? 1,
        })
      case "like":
      case "unlike":
        return newEvent(spec.kind === "like" ? "ProductLiked" : "ProductUnliked", {
          aggregateKey: aggregateKey.product(spec.productId),
          productId: ProductId.make(spec.productId),
          userId,
        })
      case "restock":
        return newEvent("StockAdjusted", {
          aggregateKey: aggregateKey.product(spec.productId),
          productId: ProductId.make(spec.productId),
          delta: 5,
          stockAfter: StockLevel.make(5),
        })
      default: {
        const lines = spec.lines.map((line) => ({
          productId: ProductId.make(line.productId),
          quantity: Quantity.make(line.quantity),
          unitPrice: Money.make(line.unitPrice),
        }))
        const total = Money.make(lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0))
        const order = {
          aggregateKey: aggregateKey.order(spec.orderId),
          orderId: OrderId.make(spec.orderId),
          userId,
          lines,
        }
        if (spec.kind === "paid") return newEvent("OrderPaid", { ...order, paidAmount: total, paymentType: "POINT" })
        if (spec.kind === "placed") {
          return newEvent("OrderPlaced", { ...order, subtotal: total, discount: Money.zero, paymentType: "CARD" })
        }
        return newEvent("OrderCancelled", { ...order, refunded: true })
      }
    }
  }
  return Effect.map(build(), (event) => ({ ...event, occurredAt }))
}
