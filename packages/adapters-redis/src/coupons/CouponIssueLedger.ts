import type { CouponTemplateId, PersistenceUnavailable, UserId } from "@commerce-core/domain"
import { Context, type Effect } from "effect"

/**
 * Read access to the store of truth for rebuilding the coupon issue gate: the users who hold
 * a coupon of a template (their number is the issued count). Optional: without it the gate
 * relearns from the store's own answers (see IssuedCouponRepositoryGated). A SQL adapter is
 * `SELECT user_id FROM issued_coupon WHERE template_id = ?`.
 */
export class CouponIssueLedger extends Context.Tag("@commerce-core/adapters-redis/CouponIssueLedger")<
  CouponIssueLedger,
  {
    readonly holders: (templateId: CouponTemplateId) => Effect.Effect<ReadonlyArray<UserId>, PersistenceUnavailable>
  }
>() {}
