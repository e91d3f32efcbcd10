import type { CouponTemplateId, PersistenceUnavailable, UserId } from "@commerce-core/domain"
import type { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"
import { makeDb } from "../internal/Db.js"

/**
 * The holders of a template's coupons as the store of truth records them. This is the shape
 * of the Redis coupon gate's `CouponIssueLedger` port; the port lives in adapters-redis,
 * which this package must not import, so the wiring wraps it:
 * `Layer.effect(CouponIssueLedger, makeCouponIssueLedgerMysql)`.
 */
export interface CouponHolderLedger {
  readonly holders: (templateId: CouponTemplateId) => Effect.Effect<ReadonlyArray<UserId>, PersistenceUnavailable>
}

/**
 * Reads the unique (template_id, user_id) index only. A plain read, not a locking one: the
 * gate reloads from it before admitting anyone, and an issue committing meanwhile is
 * settled through the gate's own reservation.
 */
export const makeCouponIssueLedgerMysql: Effect.Effect<CouponHolderLedger, never, SqlClient> = Effect.map(
  makeDb,
  ({ sql, run }) => ({
    holders: (templateId) =>
      run(
        sql<{ user_id: number }>`SELECT user_id FROM issued_coupon WHERE template_id = ${templateId} ORDER BY user_id`,
      ).pipe(Effect.map((rows) => rows.map((row) => Number(row.user_id) as UserId))),
  }),
)
