import { makePage, PeriodRankingRepository, ProductId } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { makeDb } from "../internal/Db.js"

/**
 * Materialised weekly and monthly boards. `replace` deletes and inserts the whole board in one
 * transaction: readers see the old board or the new one, never a mix.
 */
export const PeriodRankingRepositoryMysql = Layer.effect(
  PeriodRankingRepository,
  Effect.gen(function* () {
    const { sql, run, atomic } = yield* makeDb
    return PeriodRankingRepository.of({
      replace: (period, key, entries) =>
        atomic(
          Effect.gen(function* () {
            yield* run(sql`DELETE FROM ranking_period WHERE period = ${period} AND period_key = ${key}`)
            if (entries.length === 0) return
            yield* run(
              sql`INSERT INTO ranking_period ${sql.insert(
                entries.map((entry) => ({
                  period,
                  period_key: key,
                  rank_no: entry.rank,
                  product_id: entry.productId,
                  points: entry.points,
                })),
              )}`.raw,
            )
          }),
        ),
      page: (period, key, request) =>
        Effect.gen(function* () {
          const rows = yield* run(sql<{ rank_no: number; product_id: number; points: number | string }>`SELECT
              rank_no, product_id, points FROM ranking_period WHERE period = ${period} AND period_key = ${key}
              ORDER BY rank_no LIMIT ${request.size} OFFSET ${request.offset}`)
          const total = yield* run(sql<{ n: number }>`SELECT COUNT(*) AS n FROM ranking_period
            WHERE period = ${period} AND period_key = ${key}`)
          return makePage(
            rows.map((row) => ({
              rank: Number(row.rank_no),
              productId: ProductId.make(Number(row.product_id)),
              points: Number(row.points),
            })),
            request,
            Number(total[0]?.n ?? 0),
          )
        }),
    })
  }),
)
