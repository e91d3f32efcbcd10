import {
  type BoardPosition,
  type BusinessDate,
  carriedPoints,
  compareRanked,
  type PointsEntry,
  type ProductId,
  pageOf,
  RankingBoard,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { MemoryDatabase, type MemoryView } from "../MemoryDatabase.js"

interface BoardRow {
  readonly date: BusinessDate
  readonly productId: ProductId
  readonly points: number
}

const rowKey = (date: BusinessDate, productId: ProductId) => `${date}/${productId}`
const pairKey = (from: BusinessDate, to: BusinessDate) => `${from}>${to}`

/**
 * Daily boards in memory, one row per (day, product). Boards never expire here (Redis
 * expires them after 2 days); nothing reads a board older than yesterday.
 */
export const RankingBoardMemory = Layer.effect(
  RankingBoard,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const rows = db.table<string, BoardRow>("ranking_board")
    const carriedPairs = db.table<string, true>("ranking_board_carry_over")

    const sortedBoard = (view: MemoryView, date: BusinessDate): Array<PointsEntry> =>
      view
        .values(rows)
        .filter((row) => row.date === date)
        .sort(compareRanked)

    return RankingBoard.of({
      increment: (date, entries) =>
        db.write((tx) =>
          Effect.sync(() => {
            for (const { productId, points } of entries) {
              const key = rowKey(date, productId)
              tx.set(rows, key, { date, productId, points: (tx.get(rows, key)?.points ?? 0) + points })
            }
          }),
        ),
      top: (date, request) =>
        db.read((view) =>
          pageOf(
            sortedBoard(view, date).map((entry, index) => ({
              rank: index + 1,
              productId: entry.productId,
              points: entry.points,
            })),
            request,
          ),
        ),
      rankOf: (date, productId) =>
        db.read((view) => {
          const own = view.get(rows, rowKey(date, productId))
          if (own === undefined) return Option.none<BoardPosition>()
          let ahead = 0
          for (const row of view.values(rows)) if (row.date === date && compareRanked(row, own) < 0) ahead++
          return Option.some({ rank: ahead + 1, points: own.points })
        }),
      carryOver: (from, to, carryOverPermille) =>
        db.write((tx) =>
          Effect.sync(() => {
            const pair = pairKey(from, to)
            if (tx.get(carriedPairs, pair) !== undefined) return { applied: false, seeded: 0 }
            tx.set(carriedPairs, pair, true)
            let seeded = 0
            for (const row of tx.values(rows)) {
              if (row.date !== from) continue
              const carried = carriedPoints(row.points, carryOverPermille)
              if (carried === 0) continue
              const key = rowKey(to, row.productId)
              tx.set(rows, key, {
                date: to,
                productId: row.productId,
                points: (tx.get(rows, key)?.points ?? 0) + carried,
              })
              seeded++
            }
            return { applied: true, seeded }
          }),
        ),
    })
  }),
)
