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

interface SortedBoard {
  /** The table version the board was sorted at. */
  readonly version: number
  readonly sorted: ReadonlyArray<PointsEntry>
  readonly rankOf: ReadonlyMap<ProductId, number>
}

/** Days whose sorted boards are kept (today, yesterday and one being rebuilt). */
const CACHED_DAYS = 3

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

    const buildBoard = (view: MemoryView, date: BusinessDate): SortedBoard => {
      const sorted: Array<PointsEntry> = view
        .values(rows)
        .filter((row) => row.date === date)
        .sort(compareRanked)
      return { version: rows.version, sorted, rankOf: new Map(sorted.map((entry, i) => [entry.productId, i + 1])) }
    }

    // Reads of committed boards share one sorted copy per day until the next write to the table,
    // so a product page's rank lookup is a map read, not a scan of every row.
    const cached = new Map<BusinessDate, SortedBoard>()
    const boardOf = (view: MemoryView, date: BusinessDate): SortedBoard => {
      if (!view.readsCommitted(rows)) return buildBoard(view, date)
      const hit = cached.get(date)
      if (hit !== undefined && hit.version === rows.version) return hit
      const built = buildBoard(view, date)
      if (cached.size >= CACHED_DAYS && !cached.has(date)) cached.delete(cached.keys().next().value!)
      cached.set(date, built)
      return built
    }

    const increment = (date: BusinessDate, entries: ReadonlyArray<PointsEntry>) =>
      db.write((tx) =>
        Effect.sync(() => {
          for (const { productId, points } of entries) {
            const key = rowKey(date, productId)
            tx.set(rows, key, { date, productId, points: (tx.get(rows, key)?.points ?? 0) + points })
          }
        }),
      )

    return RankingBoard.of({
      increment,
      // written in the inbox's transaction, which refuses an event handled before
      incrementEvents: (date, events) =>
        increment(
          date,
          events.flatMap((event) => event.entries),
        ),
      top: (date, request) =>
        db.read((view) =>
          pageOf(
            boardOf(view, date).sorted.map((entry, index) => ({
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
          const rank = boardOf(view, date).rankOf.get(productId)!
          return Option.some({ rank, points: own.points })
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
