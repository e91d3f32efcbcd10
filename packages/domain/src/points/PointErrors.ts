import { Schema } from "effect"
import type { ErrorKind } from "../shared/DomainError.js"
import { OrderId, UserId } from "../shared/Ids.js"

export class InsufficientPoints extends Schema.TaggedError<InsufficientPoints>()("InsufficientPoints", {
  userId: UserId,
  requested: Schema.Number,
  available: Schema.Number,
}) {
  get code() {
    return "INSUFFICIENT_POINTS" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Balance ${this.available} is less than the ${this.requested} points requested`
  }
}

/** A charge that is not an integer within the policy's [min, max]. */
export class InvalidChargeAmount extends Schema.TaggedError<InvalidChargeAmount>()("InvalidChargeAmount", {
  amount: Schema.Number,
  min: Schema.Number,
  max: Schema.Number,
}) {
  get code() {
    return "INVALID_CHARGE_AMOUNT" as const
  }
  get kind(): ErrorKind {
    return "invalid"
  }
  override get message() {
    return `A charge must be an integer from ${this.min} to ${this.max}, got ${this.amount}`
  }
}

export class PointBalanceLimitExceeded extends Schema.TaggedError<PointBalanceLimitExceeded>()(
  "PointBalanceLimitExceeded",
  {
    userId: UserId,
    amount: Schema.Number,
    balance: Schema.Number,
    limit: Schema.Number,
  },
) {
  get code() {
    return "POINT_BALANCE_LIMIT_EXCEEDED" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Adding ${this.amount} to a balance of ${this.balance} would exceed the limit of ${this.limit}`
  }
}

export class WalletNotFound extends Schema.TaggedError<WalletNotFound>()("WalletNotFound", {
  userId: UserId,
}) {
  get code() {
    return "WALLET_NOT_FOUND" as const
  }
  get kind(): ErrorKind {
    return "not-found"
  }
  override get message() {
    return `User ${this.userId} has no point wallet`
  }
}

export class WalletAlreadyExists extends Schema.TaggedError<WalletAlreadyExists>()("WalletAlreadyExists", {
  userId: UserId,
}) {
  get code() {
    return "WALLET_ALREADY_EXISTS" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `User ${this.userId} already has a point wallet`
  }
}

/** A refund larger than the points the order used. */
export class RefundExceedsUsage extends Schema.TaggedError<RefundExceedsUsage>()("RefundExceedsUsage", {
  userId: UserId,
  orderId: OrderId,
  requested: Schema.Number,
  used: Schema.Number,
}) {
  get code() {
    return "REFUND_EXCEEDS_USAGE" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Order ${this.orderId} used ${this.used} points; ${this.requested} cannot be refunded`
  }
}

/** The idempotency key of an earlier charge sent again with a different amount. */
export class ChargeKeyReused extends Schema.TaggedError<ChargeKeyReused>()("ChargeKeyReused", {
  idempotencyKey: Schema.String,
  originalAmount: Schema.Number,
  requestedAmount: Schema.Number,
}) {
  get code() {
    return "IDEMPOTENCY_KEY_REUSED" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Idempotency key ${this.idempotencyKey} was used for a charge of ${this.originalAmount}, not ${this.requestedAmount}`
  }
}
