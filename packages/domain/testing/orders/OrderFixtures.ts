import {
  Card,
  type IssuedCouponId,
  Money,
  maskCard,
  Order,
  type OrderId,
  OrderLine,
  type OrderRecord,
  type OrderStatus,
  Payment,
  type PaymentType,
  type ProductId,
  type Quantity,
  StatusChange,
  type UserId,
} from "@commerce-core/domain"

export const at = (seconds: number) => new Date(Date.UTC(2025, 0, 1) + seconds * 1000)
export const asUser = (n: number) => n as UserId
export const asOrder = (n: number) => n as OrderId
export const asProduct = (n: number) => n as ProductId
export const asCoupon = (n: number) => n as IssuedCouponId

const fixtureCard = new Card({ cardType: "SAMSUNG", cardNo: "1234-5678-9012-3456" })

/** The full card is kept only while no request was accepted; a paid payment has the masked one only. */
const cardFields = (paid: boolean) =>
  paid ? { maskedCard: maskCard(fixtureCard) } : { card: fixtureCard, maskedCard: maskCard(fixtureCard) }

/** A stored order as the service would build it, for repository contracts. */
export const orderRecord = (options: {
  readonly id: OrderId
  readonly userId: UserId
  readonly createdAt?: Date
  readonly status?: OrderStatus
  readonly paymentType?: PaymentType
  readonly couponId?: IssuedCouponId
  readonly lines?: ReadonlyArray<{ readonly productId: number; readonly price: number; readonly quantity: number }>
}): OrderRecord => {
  const createdAt = options.createdAt ?? at(0)
  const status = options.status ?? "PENDING_PAYMENT"
  const paymentType = options.paymentType ?? "CARD"
  const lines = (options.lines ?? [{ productId: 1, price: 1000, quantity: 2 }]).map(
    (l) =>
      new OrderLine({
        productId: l.productId as ProductId,
        productName: `Product ${l.productId}`,
        unitPrice: Money.make(l.price),
        quantity: l.quantity as Quantity,
      }),
  )
  const subtotal = Money.make(lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0))
  const history = [new StatusChange({ status: "PENDING_PAYMENT", at: createdAt })]
  if (status !== "PENDING_PAYMENT") history.push(new StatusChange({ status, at: createdAt }))
  const order = new Order({
    id: options.id,
    userId: options.userId,
    lines,
    subtotal,
    discount: Money.zero,
    paidAmount: subtotal,
    ...(options.couponId === undefined ? {} : { couponId: options.couponId }),
    paymentType,
    status,
    history,
    createdAt,
  })
  const payment = new Payment({
    orderId: options.id,
    type: paymentType,
    status: status === "PAID" ? "SUCCESS" : "PENDING",
    ...(status === "PAID" && paymentType === "CARD" ? { transactionKey: `TR-${options.id}` } : {}),
    amount: subtotal,
    attempts: paymentType === "CARD" ? 1 : 0,
    ...(paymentType === "CARD" ? cardFields(status === "PAID") : {}),
    ...(paymentType === "CARD" ? { lastAttemptAt: createdAt } : {}),
    updatedAt: createdAt,
  })
  return { order, payment }
}
