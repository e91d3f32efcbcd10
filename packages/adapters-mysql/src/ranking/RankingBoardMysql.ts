import { type BusinessDate, makePage, type PointsEntry, ProductId, RankingBoard } from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { makeDb, onDuplicateKey } from "../internal/Db.js"

class AlreadyCarried {
  readonly _tag = "AlreadyCarried"
}

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
 */
export const RankingBoardMysql = Layer.effect(
  RankingBoard,
  Effect.gen(function* () {
    const { sql, run, atomic } = yield* makeDb
    const increment = (date: BusinessDate, entries: ReadonlyArray<PointsEntry>) => {
      const rows = merged(entries)
      if (rows.length === 0) return Effect.void
      const values = sql.csv(rows.map(([productId, points]) => sql`(${date}, ${productId}, ${points})`))
      return run(
        sql`INSERT INTO ranking_daily (board_date, product_id, points) VALUES ${values}
          ON DUPLICATE KEY UPDATE points = points + VALUES(points)`.raw,
      ).pipe(Effect.asVoid)
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
          const rows = yield* run(sql<{ product_id: number; points: number | string }>`SELECT product_id, points
            FROM ranking_daily WHERE board_date = ${date} ORDER BY points DESC, product_id ASC
            LIMIT ${request.size} OFFSET ${request.offset}`)
          const total = yield* run(
            sql<{ n: number }>`SELECT COUNT(*) AS n FROM ranking_daily WHERE board_date = ${date}`,
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
        Effect.map(
          run(sql<{ points: number | string; ahead: number | string }>`SELECT me.points,
            (SELECT COUNT(*) FROM ranking_daily o WHERE o.board_date = me.board_date
              AND (o.points > me.points OR (o.points = me.points AND o.product_id < me.product_id))) AS ahead
            FROM ranking_daily me WHERE me.board_date = ${date} AND me.product_id = ${productId}`),
          (rows) =>
            rows[0] === undefined
              ? Option.none()
              : Option.some({ rank: Number(rows[0].ahead) + 1, points: Number(rows[0].points) }),
        ),

      carryOver: (from, to, carryOverPermille) =>
        atomic(
          Effect.gen(function* () {
            yield* sql`INSERT INTO ranking_carry_over (from_date, to_date, permille)
              VALUES (${from}, ${to}, ${carryOverPermille})`.raw.pipe(
              onDuplicateKey(() => new AlreadyCarried()),
              run,
            )
            const carried = sql`FROM ranking_daily WHERE board_date = ${from} AND points > 0
              AND (points * ${carryOverPermille}) DIV 1000 > 0`
            const counted = yield* run(sql<{ n: number }>`SELECT COUNT(*) AS n ${carried} LOCK IN SHARE MODE`)
            // The derived table keeps the source's columns apart from the target's in the upsert.
            yield* run(
              sql`INSERT INTO ranking_daily (board_date, product_id, points)
              SELECT src.board_date, src.product_id, src.carried FROM (
                SELECT ${to} AS board_date, product_id, (points * ${carryOverPermille}) DIV 1000 AS carried ${carried}
              ) AS src ORDER BY src.product_id
              ON DUPLICATE KEY UPDATE points = points + src.carried`.raw,
            )
            return { applied: true, seeded: Number(counted[0]?.n ?? 0) }
          }),
        ).pipe(
          Effect.catchIf(
            (e): e is AlreadyCarried => e instanceof AlreadyCarried,
            () => Effect.succeed({ applied: false, seeded: 0 }),
          ),
        ),
    })
  }),
)
