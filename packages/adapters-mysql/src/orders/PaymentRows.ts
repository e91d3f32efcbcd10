import {
  Card,
  type CardType,
  MaskedCard,
  Money,
  maskCard,
  OrderId,
  Payment,
  type PaymentStatus,
  type PaymentType,
  type PaymentVersion,
} from "@commerce-core/domain"
import type { SqlClient } from "@effect/sql/SqlClient"
import type { Fragment } from "@effect/sql/Statement"

/**
 * A payment row joined with one of its refunds owed (`owed_key` null when it owes none);
 * private to the adapter. `refunds_owed_count` mirrors the number of `payment_refund_owed`
 * rows of the order, so that a conditional write can compare it on the payment row.
 */
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
  readonly owed_key: string | null
}

/** The stored columns of a payment, `touched_at` included (for queries that order by it). */
export const paymentColumns =
  "order_id, type, status, amount, transaction_key, card_type, card_no, attempts, last_attempt_at, reason, updated_at, touched_at"

export interface PaymentQuery {
  /** Which payments (a condition on `payment`'s columns). */
  readonly where: Fragment
  /** Columns of `payment` to order by, each optionally followed by DESC. */
  readonly orderBy?: ReadonlyArray<string>
  readonly limit?: number
}

/**
 * The payments that `source` selects (a SELECT of `paymentColumns`, ordered by `orderBy`) with
 * their refunds owed, in one statement, so that even outside a transaction a payment and its
 * refunds come from one consistent read. Rows come grouped by payment in `orderBy` order,
 * refunds in list order; `toPayments` folds them.
 */
export const withRefundsOwed = (sql: SqlClient, source: Fragment, orderBy: ReadonlyArray<string>) =>
  sql<PaymentRow>`SELECT p.*, r.transaction_key AS owed_key
    FROM (${source}) p LEFT JOIN payment_refund_owed r ON r.order_id = p.order_id
    ORDER BY ${sql.literal([...orderBy.map((column) => `p.${column}`), "p.order_id", "r.seq"].join(", "))}`

/** Payments matching `query`, with their refunds owed (see `withRefundsOwed`). */
export const selectPayments = (sql: SqlClient, query: PaymentQuery) => {
  const orderBy = query.orderBy ?? []
  const source = sql`SELECT ${sql.literal(paymentColumns)} FROM payment WHERE ${query.where}
    ${orderBy.length === 0 ? sql`` : sql`ORDER BY ${sql.literal(orderBy.join(", "))}`}
    ${query.limit === undefined ? sql`` : sql`LIMIT ${Math.max(0, Math.floor(query.limit))}`}`
  return withRefundsOwed(sql, source, orderBy)
}

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

const toPayment = (row: PaymentRow, refundsOwed: ReadonlyArray<string>) =>
  new Payment(
    {
      orderId: OrderId.make(Number(row.order_id)),
      type: row.type,
      status: row.status,
      amount: Money.make(Number(row.amount)),
      ...(row.transaction_key === null ? {} : { transactionKey: row.transaction_key }),
      ...cardFields(row),
      ...(refundsOwed.length === 0 ? {} : { refundsOwed }),
      attempts: Number(row.attempts),
      ...(row.last_attempt_at === null ? {} : { lastAttemptAt: row.last_attempt_at }),
      ...(row.reason === null ? {} : { reason: row.reason }),
      updatedAt: row.updated_at,
    },
    true,
  )

/** The payments of `selectPayments` rows, in their order. */
export const toPayments = (rows: ReadonlyArray<PaymentRow>): Array<Payment> => {
  const payments: Array<Payment> = []
  let i = 0
  while (i < rows.length) {
    const first = rows[i] as PaymentRow
    const owed: Array<string> = []
    for (; i < rows.length && Number((rows[i] as PaymentRow).order_id) === Number(first.order_id); i++) {
      const key = (rows[i] as PaymentRow).owed_key
      if (key !== null) owed.push(key)
    }
    payments.push(toPayment(first, owed))
  }
  return payments
}

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
  reason: payment.reason ?? null,
  refunds_owed_count: payment.refundsOwed?.length ?? 0,
  updated_at: payment.updatedAt,
  touched_at: payment.lastAttemptAt ?? payment.updatedAt,
})

/** The rows of `payment_refund_owed` for a payment (none when it owes none). */
export const refundOwedRows = (payment: Payment) =>
  (payment.refundsOwed ?? []).map((key, seq) => ({ order_id: payment.orderId, seq, transaction_key: key }))

/**
 * How many refunds owed the writer read, when the version it passes is the whole payment it
 * read (as the domain's settlement does); undefined for a bare version. Comparing it makes an
 * appended refund conflict with a concurrent append made from the same read (the domain's
 * version fields do not change when only `refundsOwed` grows), instead of overwriting it.
 */
export const refundsOwedRead = (expected: PaymentVersion): number | undefined =>
  expected instanceof Payment ? (expected.refundsOwed?.length ?? 0) : undefined
