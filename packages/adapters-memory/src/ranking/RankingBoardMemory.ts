import {
  type BoardPosition,
  type BusinessDate,
  carriedPoints,
  compareRanked,
  DAILY_BOARD_TTL_MILLIS,
  type PointsEntry,
  type ProductId,
  pageOf,
  RankingBoard,
} from "@commerce-core/domain"
import { Clock, Effect, Layer, Option } from "effect"
import { MemoryDatabase, type MemoryTx, type MemoryView } from "../MemoryDatabase.js"

interface BoardRow {
  readonly date: BusinessDate
  readonly productId: ProductId
  readonly points: number
}

/** When a board was last written (Clock millis). */
interface BoardWrite {
  readonly date: BusinessDate
  readonly writtenAt: number
}

interface CarryOverMarker {
  readonly key: string
  readonly carriedAt: number
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

/** Whether a write at `writtenAt` is still alive at `now` (Redis keeps a key until its TTL has passed). */
const alive = (writtenAt: number, now: number) => now - writtenAt <= DAILY_BOARD_TTL_MILLIS

/**
 * Daily boards in memory, one row per (day, product). A board is gone DAILY_BOARD_TTL_MILLIS
 * after its last write, as in Redis: reads compare the Clock with the board's recorded write
 * time and find an expired board empty; every write first deletes the rows of expired boards
 * and expired carry-over markers, so the store holds a few days at most.
 */
export const RankingBoardMemory = Layer.effect(
  RankingBoard,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const rows = db.table<string, BoardRow>("ranking_board")
    const writes = db.table<BusinessDate, BoardWrite>("ranking_board_write")
    const carriedPairs = db.table<string, CarryOverMarker>("ranking_board_carry_over")

    const isLive = (view: MemoryView, date: BusinessDate, now: number) => {
      const write = view.get(writes, date)
      return write !== undefined && alive(write.writtenAt, now)
    }

    // The Clock is read before the lock is taken, so a later commit may carry an earlier time.
    const touch = (tx: MemoryTx, date: BusinessDate, now: number) =>
      tx.set(writes, date, { date, writtenAt: Math.max(now, tx.get(writes, date)?.writtenAt ?? now) })

    // The write and marker tables hold a few entries (one per recent day), so scanning them on
    // every write is cheap; the rows are scanned only when a board has expired.
    const purgeExpired = (tx: MemoryTx, now: number) => {
      const expired: Array<BusinessDate> = []
      for (const write of tx.scan(writes)) if (!alive(write.writtenAt, now)) expired.push(write.date)
      const staleMarkers: Array<string> = []
      for (const marker of tx.scan(carriedPairs)) if (!alive(marker.carriedAt, now)) staleMarkers.push(marker.key)
      for (const key of staleMarkers) tx.delete(carriedPairs, key)
      if (expired.length === 0) return
      for (const date of expired) tx.delete(writes, date)
      for (const row of tx.values(rows))
        if (expired.includes(row.date)) tx.delete(rows, rowKey(row.date, row.productId))
    }

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
      entries.length === 0
        ? Effect.void
        : Effect.flatMap(Clock.currentTimeMillis, (now) =>
            db.write((tx) =>
              Effect.sync(() => {
                purgeExpired(tx, now)
                touch(tx, date, now)
                for (const { productId, points } of entries) {
                  const key = rowKey(date, productId)
                  tx.set(rows, key, { date, productId, points: (tx.get(rows, key)?.points ?? 0) + points })
                }
              }),
            ),
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
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          db.read((view) =>
            pageOf(
              isLive(view, date, now)
                ? boardOf(view, date).sorted.map((entry, index) => ({
                    rank: index + 1,
                    productId: entry.productId,
                    points: entry.points,
                  }))
                : [],
              request,
            ),
          ),
        ),
      rankOf: (date, productId) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          db.read((view) => {
            const own = view.get(rows, rowKey(date, productId))
            if (own === undefined || !isLive(view, date, now)) return Option.none<BoardPosition>()
            const rank = boardOf(view, date).rankOf.get(productId)!
            return Option.some({ rank, points: own.points })
          }),
        ),
      carryOver: (from, to, carryOverPermille) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          db.write((tx) =>
            Effect.sync(() => {
              // after the purge, a board that has rows is live, and a marker present is live
              purgeExpired(tx, now)
              const pair = pairKey(from, to)
              if (tx.get(carriedPairs, pair) !== undefined) return { applied: false, seeded: 0 }
              tx.set(carriedPairs, pair, { key: pair, carriedAt: now })
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
              if (seeded > 0) touch(tx, to, now)
              return { applied: true, seeded }
            }),
          ),
        ),
    })
  }),
)
