import { Context, type Effect, type Option } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { IssuedCouponId, OrderId, UserId } from "../shared/Ids.js"
import type { CouponIssueError, CouponUseError } from "./CouponErrors.js"
import type { CouponTemplate } from "./CouponTemplate.js"
import type { CouponRestoreOutcome, CouponStatus, IssuedCoupon } from "./IssuedCoupon.js"

/** Restricts a listing to coupons whose status as seen at `now` (see `couponStatusAt`) is `status`. */
export interface CouponStatusFilter {
  readonly status: CouponStatus
  readonly now: Date
}

/**
 * Issued coupons. Every write is one atomic conditional operation, so correctness never
 * depends on the caller reading first or holding a lock. In SQL: `issue` is a conditional
 * counter update on the template (`issued < total_quantity`) plus an insert under a unique
 * key (template_id, user_id), in one transaction; `markUsed` and `restore` are
 * `UPDATE ... WHERE status = 'USED' AND used_order_id = ?`-style conditional updates.
 */
export class IssuedCouponRepository extends Context.Tag("@commerce-core/domain/IssuedCouponRepository")<
  IssuedCouponRepository,
  {
    /**
     * Issues one AVAILABLE coupon of `template` to `userId`, valid until now + validDays.
     * Fails CouponAlreadyIssued when the user holds one of this template already (checked
     * first), CouponSoldOut when totalQuantity coupons exist; either failure writes nothing.
     * The issue window is the caller's rule, not checked here. The template must be stored.
     */
    readonly issue: (
      template: CouponTemplate,
      userId: UserId,
      now: Date,
    ) => Effect.Effect<IssuedCoupon, CouponIssueError | PersistenceUnavailable>
    readonly findById: (id: IssuedCouponId) => Effect.Effect<Option.Option<IssuedCoupon>, PersistenceUnavailable>
    /** The user's coupons, newest first (by id), optionally only those with a given status at `now`. */
    readonly listByUser: (
      userId: UserId,
      filter?: CouponStatusFilter,
    ) => Effect.Effect<ReadonlyArray<IssuedCoupon>, PersistenceUnavailable>
    /**
     * AVAILABLE (and not past expiry at `now`) -> USED by `orderId`, atomically. Fails without
     * change: CouponNotFound (unknown or another user's), CouponAlreadyUsed, CouponExpired.
     */
    readonly markUsed: (
      id: IssuedCouponId,
      userId: UserId,
      orderId: OrderId,
      now: Date,
    ) => Effect.Effect<IssuedCoupon, CouponUseError | PersistenceUnavailable>
    /**
     * Releases a coupon USED by `orderId`: back to AVAILABLE, or EXPIRED when now >= expiresAt.
     * Idempotent and guarded: a second call, another order's id or an unknown coupon changes
     * nothing and reports `Unchanged`.
     */
    readonly restore: (
      id: IssuedCouponId,
      orderId: OrderId,
      now: Date,
    ) => Effect.Effect<CouponRestoreOutcome, PersistenceUnavailable>
  }
>() {}
