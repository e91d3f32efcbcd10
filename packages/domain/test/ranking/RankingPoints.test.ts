import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fc from "fast-check"
import type { DomainEvent } from "../../src/events/DomainEvent.js"
import type { BusinessDate } from "../../src/ranking/BusinessDate.js"
import type { RankedEntry } from "../../src/ranking/RankingBoard.js"
import { boardIncrementOf, carriedPoints, compareRanked } from "../../src/ranking/RankingPoints.js"
import { defaultRankingWeights as weights } from "../../src/ranking/RankingWeights.js"
import { buildRankingEvent, type RankingEventSpec, rankingEventSpecArb } from "../../testing/ranking/RankingEvents.js"
import { SequentialIds } from "./TestIds.js"

const build = (specs: ReadonlyArray<RankingEventSpec>): ReadonlyArray<DomainEvent> =>
  Effect.runSync(Effect.provide(Effect.forEach(specs, buildRankingEvent), SequentialIds))

/** The daily boards a plain fold of the events gives, keyed by day. */
const boards = (events: ReadonlyArray<DomainEvent>): Map<BusinessDate, Array<RankedEntry>> => {
  const totals = new Map<BusinessDate, Map<number, number>>()
  for (const event of events) {
    const increment = boardIncrementOf(event, weights)
    if (increment === undefined) continue
    const day = totals.get(increment.date) ?? new Map<number, number>()
    totals.set(increment.date, day)
    for (const { productId, points } of increment.entries) day.set(productId, (day.get(productId) ?? 0) + points)
  }
  return new Map(
    Array.from(totals, ([date, day]) => [
      date,
      Array.from(day, ([productId, points]) => ({ productId, points }) as RankedEntry)
        .sort(compareRanked)
        .map((entry, index) => ({ ...entry, rank: index + 1 })),
    ]),
  )
}

const view = (productId: number): RankingEventSpec => ({ kind: "view", productId, day: 0, minute: 0 })
const like = (productId: number): RankingEventSpec => ({ kind: "like", productId, day: 0, minute: 0 })
const unlike = (productId: number): RankingEventSpec => ({ kind: "unlike", productId, day: 0, minute: 0 })
const paid = (productId: number, quantity = 1): RankingEventSpec => ({
  kind: "paid",
  orderId: 1,
  lines: [{ productId, quantity, unitPrice: 1_000 }],
  day: 0,
  minute: 0,
})

describe("ranking points", () => {
  it("views, likes, unlikes and paid order lines score their weight on their Seoul day; nothing else scores", () => {
    const [v, l, u, o, placed, cancelled, restock] = build([
      { kind: "view", productId: 1, day: 0, minute: 24 * 60 - 1 },
      like(2),
      unlike(3),
      {
        kind: "paid",
        orderId: 7,
        lines: [
          { productId: 9, quantity: 5, unitPrice: 100 },
          { productId: 4, quantity: 1, unitPrice: 100 },
        ],
        day: 1,
        minute: 0,
      },
      { kind: "placed", orderId: 8, lines: [{ productId: 1, quantity: 1, unitPrice: 1 }], day: 0, minute: 0 },
      { kind: "cancelled", orderId: 7, lines: [{ productId: 9, quantity: 5, unitPrice: 100 }], day: 1, minute: 5 },
      { kind: "restock", productId: 1, day: 0, minute: 0 },
    ]) as [DomainEvent, DomainEvent, DomainEvent, DomainEvent, DomainEvent, DomainEvent, DomainEvent]
    expect(boardIncrementOf(v, weights)).toEqual({ date: "20261120", entries: [{ productId: 1, points: 100 }] })
    expect(boardIncrementOf(l, weights)).toEqual({ date: "20261120", entries: [{ productId: 2, points: 200 }] })
    expect(boardIncrementOf(u, weights)).toEqual({ date: "20261120", entries: [{ productId: 3, points: -200 }] })
    expect(boardIncrementOf(o, weights)).toEqual({
      date: "20261121",
      entries: [
        { productId: 4, points: 700 },
        { productId: 9, points: 700 },
      ],
    })
    expect([placed, cancelled, restock].map((e) => boardIncrementOf(e, weights))).toEqual([
      undefined,
      undefined,
      undefined,
    ])
  })

  it("one paid order line outranks three likes, whatever else both products received (property)", () =>
    fc.assert(
      fc.property(fc.nat(10), fc.nat(10), fc.nat(10), fc.integer({ min: 1, max: 99 }), (views, likes, unlikes, qty) => {
        const shared = (productId: number) => [
          ...Array.from({ length: views }, () => view(productId)),
          ...Array.from({ length: likes }, () => like(productId)),
          ...Array.from({ length: unlikes }, () => unlike(productId)),
        ]
        const board = boards(build([...shared(2), like(2), like(2), like(2), ...shared(1), paid(1, qty)]))
        expect(board.get("20261120" as BusinessDate)?.map((e) => e.productId)).toEqual([1, 2])
      }),
    ))

  it("adding a view, like or paid order to a product never lets anyone pass it (property)", () =>
    fc.assert(
      fc.property(
        fc.array(rankingEventSpecArb(6, 1), { maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom("view" as const, "like" as const, "paid" as const),
        (specs, productId, kind) => {
          const extra = kind === "view" ? view(productId) : kind === "like" ? like(productId) : paid(productId)
          const before = boards(build(specs)).get("20261120" as BusinessDate) ?? []
          const after = boards(build([...specs, extra])).get("20261120" as BusinessDate) ?? []
          const rankIn = (board: ReadonlyArray<RankedEntry>, id: number) => board.find((e) => e.productId === id)?.rank
          const mine = rankIn(after, productId)!
          const previous = rankIn(before, productId)
          if (previous !== undefined) expect(mine).toBeLessThanOrEqual(previous)
          for (const other of before) {
            if (other.productId === productId) continue
            if (previous !== undefined && previous < other.rank) {
              expect(mine).toBeLessThan(rankIn(after, other.productId)!)
            }
            expect(rankIn(after, other.productId)! - other.rank).toBeGreaterThanOrEqual(0)
          }
        },
      ),
    ))

  it("carry-over is floor(points x permille / 1000) of positive scores, exactly (property)", () => {
    expect(carriedPoints(1_005, 100)).toBe(100)
    expect(carriedPoints(9, 100)).toBe(0)
    expect(carriedPoints(-500, 100)).toBe(0)
    expect(carriedPoints(Number.MAX_SAFE_INTEGER, 1_000)).toBe(Number.MAX_SAFE_INTEGER)
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 1_000 }),
        (points, permille) => {
          const carried = carriedPoints(points, permille)
          expect(Number.isSafeInteger(carried)).toBe(true)
          if (points <= 0) expect(carried).toBe(0)
          else {
            const exact = BigInt(points) * BigInt(permille)
            expect(BigInt(carried) * 1000n <= exact).toBe(true)
            expect(exact < (BigInt(carried) + 1n) * 1000n).toBe(true)
          }
          if (permille === 1_000) expect(carried).toBe(Math.max(points, 0))
        },
      ),
    )
  })
})
