import { Schema } from "effect"
import type { ErrorKind } from "../shared/DomainError.js"

/**
 * The gateway could not be reached, timed out or answered with a server error. The payment
 * stays pending and is settled later by reconciliation; nothing is charged twice.
 */
export class PaymentGatewayUnavailable extends Schema.TaggedError<PaymentGatewayUnavailable>()(
  "PaymentGatewayUnavailable",
  { reason: Schema.String },
) {
  get code() {
    return "PAYMENT_GATEWAY_UNAVAILABLE" as const
  }
  get kind(): ErrorKind {
    return "unavailable"
  }
  override get message() {
    return `Payment gateway unavailable: ${this.reason}`
  }
}

/** The circuit breaker is open: calls fail fast until the reset timeout has passed. */
export class CircuitOpen extends Schema.TaggedError<CircuitOpen>()("CircuitOpen", {
  name: Schema.String,
  retryAfterMillis: Schema.Number,
}) {
  get code() {
    return "PAYMENT_GATEWAY_UNAVAILABLE" as const
  }
  get kind(): ErrorKind {
    return "unavailable"
  }
  override get message() {
    return `Circuit ${this.name} is open; retry in ${this.retryAfterMillis} ms`
  }
}

/** A callback or sync named a transaction the gateway does not know, or one of another order. */
export class PaymentTransactionMismatch extends Schema.TaggedError<PaymentTransactionMismatch>()(
  "PaymentTransactionMismatch",
  { transactionKey: Schema.String, reason: Schema.String },
) {
  get code() {
    return "PAYMENT_TRANSACTION_MISMATCH" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Transaction ${this.transactionKey}: ${this.reason}`
  }
}
