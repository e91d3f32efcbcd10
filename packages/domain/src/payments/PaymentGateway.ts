import { Context, type Effect, type Option, Schema } from "effect"
import { OrderId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"
import type { Card } from "./Payment.js"
import type { PaymentGatewayUnavailable } from "./PaymentErrors.js"

/** The gateway's own status of a transaction: the truth that callbacks only hint at. */
export const GatewayStatus = Schema.Literal("PENDING", "SUCCESS", "FAILED")
export type GatewayStatus = typeof GatewayStatus.Type

export class GatewayTransaction extends Schema.Class<GatewayTransaction>("GatewayTransaction")({
  transactionKey: Schema.String,
  orderId: OrderId,
  amount: Money,
  status: GatewayStatus,
  reason: Schema.optional(Schema.String),
}) {}

/** What the gateway posts back when a transaction settles (a hint; verify with getTransaction). */
export class GatewayCallback extends Schema.Class<GatewayCallback>("GatewayCallback")({
  transactionKey: Schema.String,
  orderId: OrderId,
  status: GatewayStatus,
  reason: Schema.optional(Schema.String),
}) {}

export interface PaymentRequest {
  readonly orderId: OrderId
  readonly amount: Money
  readonly card: Card
  readonly callbackUrl: string
}

/**
 * An external card payment gateway. `requestPayment` only registers the transaction (status
 * PENDING, or FAILED when declined at once); the outcome arrives later by callback.
 */
export class PaymentGateway extends Context.Tag("@commerce-core/domain/PaymentGateway")<
  PaymentGateway,
  {
    readonly requestPayment: (request: PaymentRequest) => Effect.Effect<GatewayTransaction, PaymentGatewayUnavailable>
    readonly getTransaction: (
      transactionKey: string,
    ) => Effect.Effect<Option.Option<GatewayTransaction>, PaymentGatewayUnavailable>
    readonly listTransactions: (
      orderId: OrderId,
    ) => Effect.Effect<ReadonlyArray<GatewayTransaction>, PaymentGatewayUnavailable>
  }
>() {}
