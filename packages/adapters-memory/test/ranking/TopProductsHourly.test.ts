import {
  addBusinessDays,
  BusinessDate,
  BusinessHour,
  businessHourOf,
  type DomainEvent,
  deliver,
  HOURLY_ORDER_COUNTS_CONSUMER_NAME,
  HourlyOrderCounts,
  HourlyOrderCountsConsumer,
  HourlyOrderCountsConsumerLive,
  hourlyOrderCountsOf,
  makeRankingService,
  ProductMetricsConsumer,
  ProductMetricsConsumerLive,
  ProductMetricsRepository,
  RankingService,
  RankingServiceLive,
  RankingWeightsDefault,
  SeoulCalendar,
} from "@commerce-core/domain"
import {
  buildRankingEvent,
  type RankingEventSpec,
  rankingEventSpecArb,
  rankingEventsFirstDay,
} from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Schema } from "effect"
import * as fc from "fast-check"
import { IdGeneratorRandom } from "../../src/IdGeneratorRandom.js"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { EventInboxMemory } from "../../src/pipeline/EventInboxMemory.js"
import { HourlyOrderCountsMemory } from "../../src/ranking/HourlyOrderCountsMemory.js"
import { RankingMemory } from "../../src/ranking/RankingMemory.js"
import { TransactorMemory } from "../../src/TransactorMemory.js"

/**
 * Ranking in memory with the hourly buckets and their consumer, the inbox and the
 * transactor, all on one database. RankingServiceLive sees HourlyOrderCounts here.
 */
const hourlyLayer = () =>
  Layer.mergeAll(ProductMetricsConsumerLive, HourlyOrderCountsConsumerLive, RankingServiceLive).pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        RankingMemory,
        HourlyOrderCountsMemory,
        TransactorMemory,
        EventInboxMemory,
        IdGeneratorRandom,
        RankingWeightsDefault,
      ),
    ),
    Layer.provideMerge(MemoryDatabaseLive),
  )

const paidAt = (iso: string, orderId: number, productIds: ReadonlyArray<number>) =>
  Effect.map(
    buildRankingEvent({
      kind: "paid",
      orderId,
      lines: productIds.map((productId) => ({ productId, quantity: 2, unitPrice: 1_000 })),
      day: 0,
      minute: 0,
    }),
    (event) => ({ ...event, occurredAt: new Date(iso) }) as DomainEvent,
  )

/** Paid orders only, so that most runs rank something. */
const paidSpecArb: fc.Arbitrary<RankingEventSpec> = fc.record({
  kind: fc.constant("paid" as const),
  orderId: fc.integer({ min: 1, max: 1_000_000 }),
  lines: fc.uniqueArray(
    fc.record({
      productId: fc.integer({ min: 1, max: 10 }),
      quantity: fc.integer({ min: 1, max: 3 }),
      unitPrice: fc.integer({ min: 0, max: 10_000 }),
    }),
    { minLength: 1, maxLength: 3, selector: (line) => line.productId },
  ),
  day: fc.integer({ min: 0, max: 4 }),
  minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
})

type ServiceNeeds = Effect.Effect.Context<typeof makeRankingService>
const d = (s: string) => BusinessDate.make(s)

describe("top products from hourly buckets", () => {
  it("the consumer has a stable inbox name", () => {
    expect(HOURLY_ORDER_COUNTS_CONSUMER_NAME).toBe("ranking-hourly-orders")
  })

  it("an instant falls in its Seoul hour (UTC+9, no daylight saving)", () => {
    expect(businessHourOf(new Date("2026-11-20T14:59:59.999Z"))).toBe("2026112023")
    expect(businessHourOf(new Date("2026-11-20T15:00:00.000Z"))).toBe("2026112100")
    expect(businessHourOf(new Date("2026-12-31T15:30:00.000Z"))).toBe("2027010100")
    const isHour = Schema.is(BusinessHour)
    expect([isHour("2026112000"), isHour("2026112024"), isHour("2026023012"), isHour("202611201")]).toEqual([
      true,
      false,
      false,
      false,
    ])
  })

  it.effect("OrderPaid counts one order per line in its Seoul hour; other events count nothing", () =>
    Effect.gen(function* () {
      const a = yield* paidAt("2026-11-20T14:59:00.000Z", 1, [3, 1])
      const b = yield* paidAt("2026-11-20T14:01:00.000Z", 2, [1])
      const c = yield* paidAt("2026-11-20T15:00:00.000Z", 3, [1])
      const view = yield* buildRankingEvent({ kind: "view", productId: 1, day: 0, minute: 0 })
      const placed = yield* buildRankingEvent({
        kind: "placed",
        orderId: 4,
        lines: [{ productId: 1, quantity: 1, unitPrice: 1 }],
        day: 0,
        minute: 0,
      })
      expect(hourlyOrderCountsOf([c, view, a, placed, b])).toEqual([
        { hour: "2026112023", productId: 1, orders: 2 },
        { hour: "2026112023", productId: 3, orders: 1 },
        { hour: "2026112100", productId: 1, orders: 1 },
      ])
      expect(hourlyOrderCountsOf([view, placed])).toEqual([])
    }).pipe(Effect.provide(hourlyLayer())),
  )

  it.effect("delivered through the inbox, an event counts once however often it arrives; batches equal singles", () =>
    Effect.gen(function* () {
      const consumer = yield* HourlyOrderCountsConsumer
      const counts = yield* HourlyOrderCounts
      expect(Array.from(consumer.interestedIn ?? [])).toEqual(["OrderPaid"])
      const events = yield* Effect.forEach([1, 2, 3], (n) => paidAt("2026-11-21T01:00:00.000Z", n, [n, 9]))
      for (const event of [...events, ...events, events[0]!]) yield* deliver(consumer, event)
      const day = d("20261121")
      const expected = [
        { productId: 9, orders: 3 },
        { productId: 1, orders: 1 },
        { productId: 2, orders: 1 },
        { productId: 3, orders: 1 },
      ]
      expect(yield* counts.topByOrders(day, day, 10)).toEqual(expected)
      yield* consumer.handleBatch!(events)
      expect(yield* counts.topByOrders(day, day, 10)).toEqual(expected.map((e) => ({ ...e, orders: e.orders * 2 })))
    }).pipe(Effect.provide(hourlyLayer())),
  )

  it(
    "the service's top from hourly buckets equals its top from daily metrics for any events (property)",
    () =>
      fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.tuple(
              fc.oneof(rankingEventSpecArb(10, 5), paidSpecArb),
              // a day's first and last minutes, where an off-by-one-hour window would show
              fc.option(fc.constantFrom(0, 59, 60, 24 * 60 - 1), { nil: undefined }),
            ),
            { minLength: 1, maxLength: 60, size: "medium" },
          ),
          fc.integer({ min: 0, max: 4 }),
          fc.integer({ min: 1, max: 7 }),
          fc.integer({ min: 1, max: 12 }),
          (drawn, todayOffset, days, limit) =>
            Effect.runPromise(
              Effect.gen(function* () {
                const metricsConsumer = yield* ProductMetricsConsumer
                const hourlyConsumer = yield* HourlyOrderCountsConsumer
                const specs = drawn.map(
                  ([spec, edge]): RankingEventSpec => (edge === undefined ? spec : { ...spec, minute: edge }),
                )
                const events = yield* Effect.forEach(specs, buildRankingEvent)
                for (const event of events) {
                  yield* deliver(metricsConsumer, event)
                  yield* deliver(hourlyConsumer, event)
                }
                const fromHours = yield* makeRankingService
                // Effect.provide merges into the outer context, so the port is removed from it instead
                const fromMetrics = yield* Effect.mapInputContext(
                  makeRankingService,
                  (context: Context.Context<ServiceNeeds>) =>
                    Context.omit(HourlyOrderCounts)(context) as Context.Context<ServiceNeeds>,
                )
                const today = SeoulCalendar.addDays(rankingEventsFirstDay, todayOffset)
                const expected = yield* fromMetrics.topProducts({ days, limit, today })
                const metrics = yield* ProductMetricsRepository
                const rows = yield* metrics.topByOrders(addBusinessDays(d(today), 1 - days), d(today), limit)
                expect(expected).toEqual(
                  rows.map((r, i) => ({ rank: i + 1, productId: r.productId, orderCount: r.orders })),
                )
                expect(yield* fromHours.topProducts({ days, limit, today })).toEqual(expected)
                // RankingServiceLive picks the hourly buckets up from its context
                expect(yield* (yield* RankingService).topProducts({ days, limit, today })).toEqual(expected)
              }).pipe(Effect.provide(hourlyLayer())),
            ),
        ),
        { numRuns: 60 },
      ),
    60_000,
  )
})
