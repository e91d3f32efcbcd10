import {
  IssuedCouponId,
  Money,
  Order,
  OrderId,
  OrderLine,
  type OrderStatus,
  type PaymentType,
  ProductId,
  Quantity,
  StatusChange,
  UserId,
} from "@commerce-core/domain"

/** Rows of the order tables and their mapping to the domain (payments: PaymentRows); private to the adapter. */
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

export const orderColumns = "id, user_id, subtotal, discount, paid_amount, coupon_id, payment_type, status, created_at"

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
