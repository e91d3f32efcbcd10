import {
  Card,
  type CardType,
  IssuedCouponId,
  Money,
  Order,
  OrderId,
  OrderLine,
  type OrderStatus,
  Payment,
  type PaymentStatus,
  type PaymentType,
  ProductId,
  Quantity,
  StatusChange,
  UserId,
} from "@commerce-core/domain"

/** Rows of the order tables and their mapping to the domain; private to the adapter. */
export interface OrderRow {
  readonly id: number
  readonly user_id: number
  readonly subtotal: number | string
  readonly discount: number | string
  readonly paid_amount: number | string
  readonly coupon_id: number | null
  readonly payment_type: PaymentType
  readonly status: OrderStatus
  readonly created_at: Date
}

export interface LineRow {
  readonly order_id: number
  readonly product_id: number
  readonly product_name: string
  readonly unit_price: number | string
  readonly quantity: number | string
}

export interface HistoryRow {
  readonly order_id: number
  readonly status: OrderStatus
  readonly at: Date
}

export interface PaymentRow {
  readonly order_id: number
  readonly type: PaymentType
  readonly status: PaymentStatus
  readonly amount: number | string
  readonly transaction_key: string | null
  readonly card_type: CardType | null
  readonly card_no: string | null
  readonly attempts: number
  readonly last_attempt_at: Date | null
  readonly reason: string | null
  readonly updated_at: Date
}

export const orderColumns = "id, user_id, subtotal, discount, paid_amount, coupon_id, payment_type, status, created_at"
export const paymentColumns =
  "order_id, type, status, amount, transaction_key, card_type, card_no, attempts, last_attempt_at, reason, updated_at"

export const toOrder = (row: OrderRow, lines: ReadonlyArray<LineRow>, history: ReadonlyArray<HistoryRow>) =>
  new Order(
    {
      id: OrderId.make(Number(row.id)),
      userId: UserId.make(Number(row.user_id)),
      lines: lines.map(
        (line) =>
          new OrderLine(
            {
              productId: ProductId.make(Number(line.product_id)),
              productName: line.product_name,
              unitPrice: Money.make(Number(line.unit_price)),
              quantity: Quantity.make(Number(line.quantity)),
            },
            true,
          ),
      ),
      subtotal: Money.make(Number(row.subtotal)),
      discount: Money.make(Number(row.discount)),
      paidAmount: Money.make(Number(row.paid_amount)),
      ...(row.coupon_id === null ? {} : { couponId: IssuedCouponId.make(Number(row.coupon_id)) }),
      paymentType: row.payment_type,
      status: row.status,
      history: history.map((h) => new StatusChange({ status: h.status, at: h.at }, true)),
      createdAt: row.created_at,
    },
    true,
  )

export const toPayment = (row: PaymentRow) =>
  new Payment(
    {
      orderId: OrderId.make(Number(row.order_id)),
      type: row.type,
      status: row.status,
      amount: Money.make(Number(row.amount)),
      ...(row.transaction_key === null ? {} : { transactionKey: row.transaction_key }),
      ...(row.card_type === null || row.card_no === null
        ? {}
        : { card: new Card({ cardType: row.card_type, cardNo: row.card_no }) }),
      attempts: Number(row.attempts),
      ...(row.last_attempt_at === null ? {} : { lastAttemptAt: row.last_attempt_at }),
      ...(row.reason === null ? {} : { reason: row.reason }),
      updatedAt: row.updated_at,
    },
    true,
  )

/** The columns of a payment as stored; `touched_at` is what reconciliation orders by. */
export const paymentValues = (payment: Payment) => ({
  order_id: payment.orderId,
  type: payment.type,
  status: payment.status,
  amount: payment.amount,
  transaction_key: payment.transactionKey ?? null,
  card_type: payment.card?.cardType ?? null,
  card_no: payment.card?.cardNo ?? null,
  attempts: payment.attempts,
  last_attempt_at: payment.lastAttemptAt ?? null,
  reason: payment.reason ?? null,
  updated_at: payment.updatedAt,
  touched_at: payment.lastAttemptAt ?? payment.updatedAt,
})
