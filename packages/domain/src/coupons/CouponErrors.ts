import { Schema } from "effect"
import type { ErrorKind } from "../shared/DomainError.js"
import { CouponTemplateId, IssuedCouponId, UserId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"

/** A new template breaks a rule; `field` names the input field (as in the admin API body). */
export class InvalidCouponTemplate extends Schema.TaggedError<InvalidCouponTemplate>()("InvalidCouponTemplate", {
  field: Schema.String,
  reason: Schema.String,
}) {
  get code() {
    return "INVALID_COUPON_TEMPLATE" as const
  }
  get kind(): ErrorKind {
    return "invalid"
  }
  override get message() {
    return `${this.field}: ${this.reason}`
  }
}

export class CouponTemplateNotFound extends Schema.TaggedError<CouponTemplateNotFound>()("CouponTemplateNotFound", {
  templateId: Schema.Number,
}) {
  get code() {
    return "COUPON_NOT_FOUND" as const
  }
  get kind(): ErrorKind {
    return "not-found"
  }
  override get message() {
    return `Coupon ${this.templateId} not found`
  }
}

/** An issued coupon that does not exist or belongs to someone else (owners only; others see nothing). */
export class CouponNotFound extends Schema.TaggedError<CouponNotFound>()("CouponNotFound", {
  couponId: Schema.Number,
}) {
  get code() {
    return "COUPON_NOT_FOUND" as const
  }
  get kind(): ErrorKind {
    return "not-found"
  }
  override get message() {
    return `Issued coupon ${this.couponId} not found`
  }
}

/** Outside the template's issue window [issueStartsAt, issueEndsAt). */
export class CouponNotIssuable extends Schema.TaggedError<CouponNotIssuable>()("CouponNotIssuable", {
  templateId: CouponTemplateId,
  reason: Schema.Literal("NOT_STARTED", "ENDED"),
}) {
  get code() {
    return "COUPON_NOT_ISSUABLE" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return this.reason === "NOT_STARTED"
      ? `Coupon ${this.templateId} cannot be issued yet`
      : `Coupon ${this.templateId} can no longer be issued`
  }
}

export class CouponAlreadyIssued extends Schema.TaggedError<CouponAlreadyIssued>()("CouponAlreadyIssued", {
  templateId: CouponTemplateId,
  userId: UserId,
}) {
  get code() {
    return "COUPON_ALREADY_ISSUED" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Coupon ${this.templateId} was already issued to user ${this.userId}`
  }
}

export class CouponSoldOut extends Schema.TaggedError<CouponSoldOut>()("CouponSoldOut", {
  templateId: CouponTemplateId,
}) {
  get code() {
    return "COUPON_SOLD_OUT" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Coupon ${this.templateId} is sold out`
  }
}

export class CouponAlreadyUsed extends Schema.TaggedError<CouponAlreadyUsed>()("CouponAlreadyUsed", {
  couponId: IssuedCouponId,
}) {
  get code() {
    return "COUPON_ALREADY_USED" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Coupon ${this.couponId} was already used`
  }
}

export class CouponExpired extends Schema.TaggedError<CouponExpired>()("CouponExpired", {
  couponId: IssuedCouponId,
  expiresAt: Schema.Date,
}) {
  get code() {
    return "COUPON_EXPIRED" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Coupon ${this.couponId} expired at ${this.expiresAt.toISOString()}`
  }
}

export class CouponMinOrderAmountNotMet extends Schema.TaggedError<CouponMinOrderAmountNotMet>()(
  "CouponMinOrderAmountNotMet",
  {
    minOrderAmount: Money,
    subtotal: Money,
  },
) {
  get code() {
    return "COUPON_MIN_ORDER_AMOUNT_NOT_MET" as const
  }
  get kind(): ErrorKind {
    return "invalid"
  }
  override get message() {
    return `The coupon needs an order of at least ${this.minOrderAmount}, got ${this.subtotal}`
  }
}

/** Why an issued coupon cannot be used by an order. */
export type CouponUseError = CouponNotFound | CouponAlreadyUsed | CouponExpired

export type CouponIssueError = CouponAlreadyIssued | CouponSoldOut
