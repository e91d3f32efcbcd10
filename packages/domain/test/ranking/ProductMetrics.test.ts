import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import {
  applyDelta,
  combineMetricsChanges,
  type MetricCounts,
  metricsChangesOf,
  type ProductMetricsChange,
  zeroCounts,
} from "../../src/ranking/ProductMetrics.js"
import { buildRankingEvent, type RankingEventSpec, rankingEventSpecArb } from "../../testing/ranking/RankingEvents.js"
import { SequentialIds } from "./TestIds.js"

const changesOf = (spec: RankingEventSpec) =>
  metricsChangesOf(Effect.runSync(Effect.provide(buildRankingEvent(spec), SequentialIds)))

describe("metricsChangesOf", () => {
  it("counts a view, a like and an unlike on the Seoul day of the event", () => {
    expect(changesOf({ kind: "view", productId: 3, day: 0, minute: 0 })).toEqual([
      { date: "20261120", productId: 3, delta: { views: 1 } },
    ])
    expect(changesOf({ kind: "like", productId: 3, day: 1, minute: 24 * 60 - 1 })).toEqual([
      { date: "20261121", productId: 3, delta: { likes: 1 } },
    ])
    expect(changesOf({ kind: "unlike", productId: 4, day: 0, minute: 30 })).toEqual([
      { date: "20261120", productId: 4, delta: { unlikes: 1 } },
    ])
  })

  it("counts each line of a paid order once, with its units and revenue, in product order", () => {
    expect(
      changesOf({
        kind: "paid",
        orderId: 5,
        lines: [
          { productId: 8, quantity: 3, unitPrice: 12_500 },
          { productId: 2, quantity: 1, unitPrice: 990 },
        ],
        day: 0,
        minute: 0,
      }),
    ).toEqual([
      { date: "20261120", productId: 2, delta: { orders: 1, units: 1, revenue: 990 } },
      { date: "20261120", productId: 8, delta: { orders: 1, units: 3, revenue: 37_500 } },
    ])
  })

  it("ignores unpaid placements, cancellations (metrics are never reversed) and stock changes", () => {
    const lines = [{ productId: 1, quantity: 2, unitPrice: 100 }]
    expect(changesOf({ kind: "placed", orderId: 1, lines, day: 0, minute: 0 })).toEqual([])
    expect(changesOf({ kind: "cancelled", orderId: 1, lines, day: 0, minute: 0 })).toEqual([])
    expect(changesOf({ kind: "restock", productId: 1, day: 0, minute: 0 })).toEqual([])
  })

  it("combined changes add up to the changes one by one, one per (day, product) in ascending order (property)", () => {
    const totals = (changes: ReadonlyArray<ProductMetricsChange>) => {
      const byKey = new Map<string, MetricCounts>()
      for (const change of changes) {
        const key = `${change.date}:${change.productId}`
        byKey.set(key, applyDelta(byKey.get(key) ?? zeroCounts, change.delta))
      }
      return byKey
    }
    fc.assert(
      fc.property(fc.array(rankingEventSpecArb(6, 3), { maxLength: 60 }), (specs) => {
        const events = Effect.runSync(Effect.provide(Effect.forEach(specs, buildRankingEvent), SequentialIds))
        const changes = events.flatMap(metricsChangesOf)
        const combined = combineMetricsChanges(changes)
        const keys = combined.map((change) => `${change.date}:${String(change.productId).padStart(9, "0")}`)
        expect(keys).toEqual([...new Set(keys)].sort())
        expect(totals(combined)).toEqual(totals(changes))
      }),
    )
  })
})
