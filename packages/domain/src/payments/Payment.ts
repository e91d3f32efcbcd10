import { Schema } from "effect"
import { PaymentType } from "../events/OrderEvents.js"
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

export class Card extends Schema.Class<Card>("Card")({
  cardType: CardType,
  cardNo: Schema.String.pipe(Schema.pattern(/^\d{4}-\d{4}-\d{4}-\d{4}$/)),
}) {}

/** The payment record of one order (one per order). */
export class Payment extends Schema.Class<Payment>("Payment")({
  orderId: OrderId,
  type: PaymentType,
  status: PaymentStatus,
  amount: Money,
  /** The gateway's key once a request was accepted (CARD only). */
  transactionKey: Schema.optional(Schema.String),
  /** Kept so that reconciliation can resend a request the gateway never received (CARD only). */
  card: Schema.optional(Card),
  /** Gateway requests claimed so far; a request is sent only after claiming its attempt. */
  attempts: Schema.Int.pipe(Schema.nonNegative()),
  lastAttemptAt: Schema.optional(Schema.DateFromSelf),
  reason: Schema.optional(Schema.String),
  updatedAt: Schema.DateFromSelf,
}) {}

export const isSettled = (status: PaymentStatus): boolean => status !== "PENDING"

/** Replaces some fields of a payment without re-validating the rest. */
export const updatePayment = (payment: Payment, changes: Partial<Omit<Payment, "orderId" | "type">>): Payment =>
  new Payment({ ...payment, ...changes }, true)
