import { LikeRepository, makePage, ProductId } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { affectedRows, makeDb } from "../internal/Db.js"

/** Likes keyed by (user, product); `INSERT IGNORE` and `DELETE` report by their row counts whether anything changed. */
export const LikeRepositoryMysql = Layer.effect(
  LikeRepository,
  Effect.gen(function* () {
    const { sql, run } = yield* makeDb
    return LikeRepository.of({
      like: (userId, productId, likedAt) =>
        run(
          sql`INSERT IGNORE INTO product_like (user_id, product_id, liked_at) VALUES (${userId}, ${productId}, ${likedAt})`
            .raw,
        ).pipe(Effect.map((raw) => affectedRows(raw) === 1)),
      unlike: (userId, productId) =>
        run(sql`DELETE FROM product_like WHERE user_id = ${userId} AND product_id = ${productId}`.raw).pipe(
          Effect.map((raw) => affectedRows(raw) > 0),
        ),
      isLiked: (userId, productId) =>
        run(sql`SELECT 1 AS liked FROM product_like WHERE user_id = ${userId} AND product_id = ${productId}`).pipe(
          Effect.map((rows) => rows.length > 0),
        ),
      likedProductIds: (userId, page) =>
        Effect.gen(function* () {
          const rows = yield* run(sql<{ product_id: number }>`SELECT product_id FROM product_like
            WHERE user_id = ${userId} ORDER BY liked_at DESC, id DESC LIMIT ${page.size} OFFSET ${page.offset}`)
          const total = yield* run(sql<{ n: number }>`SELECT COUNT(*) AS n FROM product_like WHERE user_id = ${userId}`)
          return makePage(
            rows.map((row) => ProductId.make(Number(row.product_id))),
            page,
            Number(total[0]?.n ?? 0),
          )
        }),
    })
  }),
)
