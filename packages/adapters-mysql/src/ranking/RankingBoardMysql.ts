import { type BusinessDate, makePage, type PointsEntry, ProductId, RankingBoard } from "@commerce-core/domain"
import { Clock, Effect, Layer, Option } from "effect"
import { makeDb } from "../internal/Db.js"
import { aliveSince, makeBoardExpiry } from "./DailyBoardExpiry.js"

class AlreadyCarried {
  readonly _tag = "AlreadyCarried"
}

/** `carried_at_ms` of a marker this transaction has just inserted (never committed). */
const CLAIMING = -1

/** Entries merged per product and sorted by id: rows are always locked in ascending key order. */
const merged = (entries: ReadonlyArray<PointsEntry>) => {
  const totals = new Map<number, number>()
  for (const entry of entries) totals.set(entry.productId, (totals.get(entry.productId) ?? 0) + entry.points)
  return Array.from(totals).sort(([a], [b]) => a - b)
}

/**
 * The live daily board in SQL (`ranking_daily`), for deployments without Redis. Increments
 * are one multi-row upsert; a rank is the count of entries ahead (more points, or equal points
 * and a smaller id), served by the (date, points DESC, product) index. Carry-over records its
 * (from, to) pair under a primary key in the same transaction as the points it moves.
 *
 * Boards and markers expire as in Redis, by the Clock (see DailyBoardExpiry): reads join the
 * board's write time, and a marker older than the TTL is claimed again as if absent.
 */
export const RankingBoardMysql = Layer.effect(
  RankingBoard,
  Effect.gen(function* () {
    const db = yield* makeDb
    const { sql, run, atomic, joined, deferred } = db
    const expiry = makeBoardExpiry(db)

    // Deferred with the board's refresh: both travel with the transaction's next round trip
    // (its COMMIT, for a lone increment), as one multi-statement batch.
    const increment = (date: BusinessDate, entries: ReadonlyArray<PointsEntry>) => {
      const rows = merged(entries)
      if (rows.length === 0) return Effect.void
      const values = sql.csv(rows.map(([productId, points]) => sql`(${date}, ${productId}, ${points})`))
      const upsert = sql`INSERT INTO ranking_daily (board_date, product_id, points) VALUES ${values}
        ON DUPLICATE KEY UPDATE points = points + VALUES(points)`
      return Effect.flatMap(Clock.currentTimeMillis, (now) =>
        joined(Effect.zipRight(expiry.touch(date, now), deferred(upsert))),
      )
    }

    return RankingBoard.of({
      increment,
      // written in the inbox's transaction, which refuses an event handled before
      incrementEvents: (date, events) =>
        increment(
          date,
          events.flatMap((event) => event.entries),
        ),

      top: (date, request) =>
        Effect.gen(function* () {
          const alive = expiry.aliveJoin("r", yield* Clock.currentTimeMillis)
          const rows = yield* run(sql<{ product_id: number; points: number | string }>`SELECT r.product_id, r.points
            FROM ranking_daily r ${alive} WHERE r.board_date = ${date} ORDER BY r.points DESC, r.product_id ASC
            LIMIT ${request.size} OFFSET ${request.offset}`)
          const total = yield* run(
            sql<{ n: number }>`SELECT COUNT(*) AS n FROM ranking_daily r ${alive} WHERE r.board_date = ${date}`,
          )
          const items = rows.map((row, i) => ({
            rank: request.offset + i + 1,
            productId: ProductId.make(Number(row.product_id)),
            points: Number(row.points),
          }))
          return makePage(items, request, Number(total[0]?.n ?? 0))
        }),

      // One round trip: the entry is a const row, so the count runs once, on the ordered index.
      rankOf: (date, productId) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          run(sql<{ points: number | string; ahead: number | string }>`SELECT me.points,
            (SELECT COUNT(*) FROM ranking_daily o WHERE o.board_date = me.board_date
              AND (o.points > me.points OR (o.points = me.points AND o.product_id < me.product_id))) AS ahead
            FROM ranking_daily me ${expiry.aliveJoin("me", now)}
            WHERE me.board_date = ${date} AND me.product_id = ${productId}`),
        ).pipe(
          Effect.map((rows) =>
            rows[0] === undefined
              ? Option.none()
              : Option.some({ rank: Number(rows[0].ahead) + 1, points: Number(rows[0].points) }),
          ),
        ),

      carryOver: (from, to, carryOverPermille) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          atomic(
            Effect.gen(function* () {
              // The upsert locks the marker exclusively, inserting it if missing: concurrent runs
              // of the pair queue on it instead of deadlocking over shared locks.
              yield* deferred(sql`INSERT INTO ranking_carry_over (from_date, to_date, permille, carried_at_ms)
                VALUES (${from}, ${to}, ${carryOverPermille}, ${CLAIMING})
                ON DUPLICATE KEY UPDATE from_date = from_date`)
              const marker = yield* run(sql<{ carried_at_ms: number | string | null }>`SELECT carried_at_ms
                FROM ranking_carry_over WHERE from_date = ${from} AND to_date = ${to} FOR UPDATE`)
              const carriedAt = marker[0]?.carried_at_ms ?? null
              if (carriedAt === null || (Number(carriedAt) !== CLAIMING && Number(carriedAt) >= aliveSince(now))) {
                return yield* Effect.fail(new AlreadyCarried())
              }
              yield* deferred(sql`UPDATE ranking_carry_over SET permille = ${carryOverPermille}, carried_at_ms = ${now}
                WHERE from_date = ${from} AND to_date = ${to}`)
              const source = yield* run(sql<{ n: number }>`SELECT COUNT(*) AS n FROM ranking_daily_board
                WHERE board_date = ${from} AND written_at_ms >= ${aliveSince(now)} LOCK IN SHARE MODE`)
              if (Number(source[0]?.n ?? 0) === 0) return { applied: true, seeded: 0 }
              const carried = sql`FROM ranking_daily WHERE board_date = ${from} AND points > 0
                AND (points * ${carryOverPermille}) DIV 1000 > 0`
              const counted = yield* run(sql<{ n: number }>`SELECT COUNT(*) AS n ${carried} LOCK IN SHARE MODE`)
              const seeded = Number(counted[0]?.n ?? 0)
              if (seeded === 0) return { applied: true, seeded }
              yield* expiry.touch(to, now)
              // The derived table keeps the source's columns apart from the target's in the upsert.
              yield* run(
                sql`INSERT INTO ranking_daily (board_date, product_id, points)
                SELECT src.board_date, src.product_id, src.carried FROM (
                  SELECT ${to} AS board_date, product_id, (points * ${carryOverPermille}) DIV 1000 AS carried ${carried}
                ) AS src ORDER BY src.product_id
                ON DUPLICATE KEY UPDATE points = points + src.carried`.raw,
              )
              return { applied: true, seeded }
            }),
          ),
        ).pipe(
          Effect.catchIf(
            (e): e is AlreadyCarried => e instanceof AlreadyCarried,
            () => Effect.succeed({ applied: false, seeded: 0 }),
          ),
        ),
    })
  }),
)
