import { Schema } from "effect"
import { PaymentType } from "../events/OrderEvents.js"
import { copyWith } from "../shared/CopyWith.js"
import { OrderId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"

export { PaymentType }

/**
 * PENDING until settled. SUCCESS when paid; FAILED when the gateway declined; CANCELLED when
 * the order was cancelled before any money moved; REFUNDED when money that moved is owed back
 * (points are refunded at once, a card charge is recorded as owed - see OrderService.cancel).
 */
export const PaymentStatus = Schema.Literal("PENDING", "SUCCESS", "FAILED", "CANCELLED", "REFUNDED")
export type PaymentStatus = typeof PaymentStatus.Type

export const CardType = Schema.Literal("SAMSUNG", "KB", "HYUNDAI")
export type CardType = typeof CardType.Type

/** A full card as given at checkout: sent to the gateway, never shown. */
export class Card extends Schema.Class<Card>("Card")({
  cardType: CardType,
  cardNo: Schema.String.pipe(Schema.pattern(/^\d{4}-\d{4}-\d{4}-\d{4}$/)),
}) {}

/** What may be kept and shown of a card: its type and last four digits. */
export class MaskedCard extends Schema.Class<MaskedCard>("MaskedCard")({
  cardType: CardType,
  cardNo: Schema.String.pipe(Schema.pattern(/^\*{4}-\*{4}-\*{4}-\d{4}$/)),
}) {}

export const maskCard = (card: Card): MaskedCard =>
  new MaskedCard({ cardType: card.cardType, cardNo: `****-****-****-${card.cardNo.slice(-4)}` }, true)

/** The payment record of one order (one per order). */
export class Payment extends Schema.Class<Payment>("Payment")({
  orderId: OrderId,
  type: PaymentType,
  status: PaymentStatus,
  amount: Money,
  /** The gateway's key once a request was accepted (CARD only). */
  transactionKey: Schema.optional(Schema.String),
  /**
   * The full card, kept only while no gateway request is known to have been accepted, so that
   * reconciliation can resend one the gateway never received (CARD only). Dropped as soon as
   * the payment has a transaction key or is settled (see `withoutCard`).
   */
  card: Schema.optional(Card),
  /** The card as it may be shown (CARD only). */
  maskedCard: Schema.optional(MaskedCard),
  /**
   * Keys of further charges of this order (a resent request that was charged too) that paid
   * nothing and are owed back, beyond what `status` records.
   */
  refundsOwed: Schema.optional(Schema.Array(Schema.String)),
  /** Gateway requests claimed so far; a request is sent only after claiming its attempt. */
  attempts: Schema.Int.pipe(Schema.nonNegative()),
  lastAttemptAt: Schema.optional(Schema.DateFromSelf),
  reason: Schema.optional(Schema.String),
  updatedAt: Schema.DateFromSelf,
}) {}

/**
 * What a conditional payment write compares (OrderRepository.savePayment): the write applies
 * only if the stored payment still has these, so a decision made on a stale read is never
 * written over a concurrent one.
 */
export interface PaymentVersion {
  readonly status: PaymentStatus
  readonly attempts: number
  readonly transactionKey?: string | undefined
}

/**
 * When the payment was last touched: its last gateway request, else its last write. Every charge
 * of an order comes from a request, so a charge registers at the gateway soon after this time.
 */
export const touchedAt = (payment: Payment): Date => payment.lastAttemptAt ?? payment.updatedAt

/**
 * Whether a gateway charge is already accounted for on this payment: as the charge that paid
 * (SUCCESS) or that is owed back by status (REFUNDED), or among the further charges owed back.
 */
export const isChargeRecorded = (payment: Payment, transactionKey: string): boolean =>
  (payment.transactionKey === transactionKey && (payment.status === "SUCCESS" || payment.status === "REFUNDED")) ||
  (payment.refundsOwed?.includes(transactionKey) ?? false)

/** Replaces some fields of a payment without re-validating the rest. */
export const updatePayment = (payment: Payment, changes: Partial<Omit<Payment, "orderId" | "type">>): Payment =>
  withoutCard(copyWith<Payment>(payment, changes))

/** The full card number is dropped once the gateway accepted a request or the payment settled. */
const withoutCard = (payment: Payment): Payment =>
  payment.card === undefined || (payment.status === "PENDING" && payment.transactionKey === undefined)
    ? payment
    : forgetCard(payment)

/** The payment without its full card number (no request will be sent again). */
export const forgetCard = (payment: Payment): Payment => {
  if (payment.card === undefined) return payment
  const { card: _card, ...rest } = payment
  return new Payment(rest, true)
}
