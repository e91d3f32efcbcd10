import {
  Card,
  type CardType,
  IssuedCouponId,
  MaskedCard,
  Money,
  maskCard,
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

const fullCardNo = /^\d{4}-\d{4}-\d{4}-\d{4}$/

/**
 * `card_no` holds the full number only while the domain keeps it (no request accepted yet),
 * else the masked one; the domain drops the full number, the next write overwrites it here.
 */
const cardFields = (row: PaymentRow) => {
  if (row.card_type === null || row.card_no === null) return {}
  if (!fullCardNo.test(row.card_no)) {
    return { maskedCard: new MaskedCard({ cardType: row.card_type, cardNo: row.card_no }, true) }
  }
  const card = new Card({ cardType: row.card_type, cardNo: row.card_no }, true)
  return { card, maskedCard: maskCard(card) }
}

/**
 * Refunds owed for extra charges share the `reason` column until the table has a column of
 * their own: as JSON `{"refundsOwed":[keys],"reason":...}` when there are any (a reason never
 * starts like that), else the plain reason.
 */
const owedPrefix = '{"refundsOwed":'

const reasonFields = (column: string | null) => {
  if (column === null) return {}
  if (!column.startsWith(owedPrefix)) return { reason: column }
  const parsed = JSON.parse(column) as { refundsOwed: Array<string>; reason?: string }
  return { refundsOwed: parsed.refundsOwed, ...(parsed.reason === undefined ? {} : { reason: parsed.reason }) }
}

const reasonColumn = (payment: Payment) =>
  payment.refundsOwed === undefined || payment.refundsOwed.length === 0
    ? (payment.reason ?? null)
    : JSON.stringify({ refundsOwed: payment.refundsOwed, reason: payment.reason })

export const toPayment = (row: PaymentRow) =>
  new Payment(
    {
      orderId: OrderId.make(Number(row.order_id)),
      type: row.type,
      status: row.status,
      amount: Money.make(Number(row.amount)),
      ...(row.transaction_key === null ? {} : { transactionKey: row.transaction_key }),
      ...cardFields(row),
      attempts: Number(row.attempts),
      ...(row.last_attempt_at === null ? {} : { lastAttemptAt: row.last_attempt_at }),
      ...reasonFields(row.reason),
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
  card_type: payment.card?.cardType ?? payment.maskedCard?.cardType ?? null,
  card_no: payment.card?.cardNo ?? payment.maskedCard?.cardNo ?? null,
  attempts: payment.attempts,
  last_attempt_at: payment.lastAttemptAt ?? null,
  reason: reasonColumn(payment),
  updated_at: payment.updatedAt,
  touched_at: payment.lastAttemptAt ?? payment.updatedAt,
})
