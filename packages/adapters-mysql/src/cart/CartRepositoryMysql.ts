import {
  type CartLine,
  CartRepository,
  PersistenceUnavailable,
  ProductId,
  Quantity,
  QuantityLimitExceeded,
  type UserId,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { affectedRows, makeDb, onDuplicateKey } from "../internal/Db.js"

class LineCreatedConcurrently {
  readonly _tag = "LineCreatedConcurrently"
}

/** Units to take per product; a product listed twice is taken twice. */
const unitsByProduct = (lines: ReadonlyArray<CartLine>) => {
  const units = new Map<number, number>()
  for (const { productId, quantity } of lines) units.set(productId, (units.get(productId) ?? 0) + quantity)
  return units
}

/**
 * Cart lines keyed by (user, product); the auto-increment id keeps the order lines were first
 * added. `add` locks the line before merging, so concurrent adds of one line never lose units.
 */
export const CartRepositoryMysql = Layer.effect(
  CartRepository,
  Effect.gen(function* () {
    const { sql, run, joined } = yield* makeDb

    const addOnce = (userId: UserId, productId: ProductId, quantity: Quantity, max: Quantity) =>
      joined(
        Effect.gen(function* () {
          const rows = yield* run(sql<{ quantity: number | string }>`SELECT quantity FROM cart_line
            WHERE user_id = ${userId} AND product_id = ${productId} FOR UPDATE`)
          const current = rows[0] === undefined ? 0 : Number(rows[0].quantity)
          const merged = current + quantity
          if (merged > max) return yield* new QuantityLimitExceeded({ productId, requested: merged, max })
          if (rows[0] === undefined) {
            yield* sql`INSERT INTO cart_line ${sql.insert({ user_id: userId, product_id: productId, quantity: merged })}`.raw.pipe(
              onDuplicateKey(() => new LineCreatedConcurrently()),
              run,
            )
          } else {
            yield* run(
              sql`UPDATE cart_line SET quantity = ${merged} WHERE user_id = ${userId} AND product_id = ${productId}`,
            )
          }
          return Quantity.make(merged)
        }),
      )

    return CartRepository.of({
      lines: (userId) =>
        run(
          sql<{ product_id: number; quantity: number | string }>`SELECT product_id, quantity FROM cart_line
            WHERE user_id = ${userId} ORDER BY id`,
        ).pipe(
          Effect.map((rows) =>
            rows.map((row) => ({
              productId: ProductId.make(Number(row.product_id)),
              quantity: Quantity.make(Number(row.quantity)),
            })),
          ),
        ),
      // A line inserted by a concurrent add between our read and our insert: merge into it instead.
      add: (userId, productId, quantity, max) =>
        addOnce(userId, productId, quantity, max).pipe(
          Effect.catchIf(
            (e): e is LineCreatedConcurrently => e instanceof LineCreatedConcurrently,
            () => addOnce(userId, productId, quantity, max),
          ),
          Effect.catchIf(
            (e): e is LineCreatedConcurrently => e instanceof LineCreatedConcurrently,
            () => Effect.fail(new PersistenceUnavailable({ reason: "cart line kept changing concurrently" })),
          ),
        ),
      set: (userId, productId, quantity) =>
        run(
          sql`INSERT INTO cart_line (user_id, product_id, quantity) VALUES (${userId}, ${productId}, ${quantity})
          ON DUPLICATE KEY UPDATE quantity = ${quantity}`.raw,
        ).pipe(Effect.asVoid),
      remove: (userId, productId) =>
        run(sql`DELETE FROM cart_line WHERE user_id = ${userId} AND product_id = ${productId}`.raw).pipe(
          Effect.map((raw) => affectedRows(raw) > 0),
        ),
      subtract: (userId, taken) => {
        const units = unitsByProduct(taken)
        if (units.size === 0) return Effect.void
        const ids = [...units.keys()]
        const cases = [...units].map(([productId, quantity]) => sql`WHEN ${productId} THEN ${quantity}`)
        const amount = sql`CASE product_id ${sql.join(" ", false)(cases)} END`
        // The UPDATE locks every listed line (ascending key order) and clamps it at 0; the DELETE
        // then drops the emptied ones under those locks, so no reader ever sees a 0 line.
        return joined(
          run(
            sql`UPDATE cart_line SET quantity = quantity - LEAST(quantity, ${amount})
              WHERE user_id = ${userId} AND ${sql.in("product_id", ids)};
              DELETE FROM cart_line WHERE user_id = ${userId} AND ${sql.in("product_id", ids)} AND quantity = 0`
              .unprepared,
          ),
        ).pipe(Effect.asVoid)
      },
      removeLines: (userId, productIds) =>
        productIds.length === 0
          ? Effect.succeed(0)
          : run(sql`DELETE FROM cart_line WHERE user_id = ${userId} AND ${sql.in("product_id", productIds)}`.raw).pipe(
              Effect.map(affectedRows),
            ),
    })
  }),
)
