import {
  CardType,
  IssuedCouponId,
  mapPage,
  type Order,
  OrderId,
  type OrderRecord,
  OrderService,
  PageRequest,
  type Payment,
  ProductId,
} from "@commerce-core/domain"
import { Effect, Schema } from "effect"
import { PAYMENT_CALLBACK_PATH } from "../config/CardPaymentFromEnv.js"
import { idParam, PageQuery } from "../routing/Fields.js"
import { route } from "../routing/Route.js"
import { Instant, iso, PageOf } from "./Dto.js"

const OrderStatusDto = Schema.Literal("PENDING_PAYMENT", "PAID", "PAYMENT_FAILED", "CANCELLED")

const PaymentDto = Schema.Struct({
  type: Schema.Literal("POINT", "CARD"),
  status: Schema.Literal("PENDING", "SUCCESS", "FAILED", "CANCELLED", "REFUNDED"),
  transactionKey: Schema.NullOr(Schema.String),
  amount: Schema.Int,
  reason: Schema.NullOr(Schema.String),
})

const toPaymentDto = (payment: Payment) => ({
  type: payment.type,
  status: payment.status,
  transactionKey: payment.transactionKey ?? null,
  amount: payment.amount,
  reason: payment.reason ?? null,
})

const PlacedDto = Schema.Struct({
  orderId: Schema.Int,
  status: OrderStatusDto,
  totalAmount: Schema.Int,
  discountAmount: Schema.Int,
  paidAmount: Schema.Int,
  createdAt: Instant,
  payment: PaymentDto,
})

const toPlacedDto = ({ order, payment }: OrderRecord) => ({
  orderId: order.id,
  status: order.status,
  totalAmount: order.subtotal,
  discountAmount: order.discount,
  paidAmount: order.paidAmount,
  createdAt: iso(order.createdAt),
  payment: toPaymentDto(payment),
})

const OrderDetailDto = Schema.Struct({
  orderId: Schema.Int,
  status: OrderStatusDto,
  items: Schema.Array(
    Schema.Struct({ productId: Schema.Int, productName: Schema.String, quantity: Schema.Int, price: Schema.Int }),
  ),
  totalAmount: Schema.Int,
  discountAmount: Schema.Int,
  paidAmount: Schema.Int,
  couponId: Schema.NullOr(Schema.Int),
  payment: PaymentDto,
  history: Schema.Array(Schema.Struct({ status: OrderStatusDto, at: Instant })),
  createdAt: Instant,
})

const toOrderDetailDto = ({ order, payment }: OrderRecord) => ({
  orderId: order.id,
  status: order.status,
  items: order.lines.map((l) => ({
    productId: l.productId,
    productName: l.productName,
    quantity: l.quantity,
    price: l.unitPrice,
  })),
  totalAmount: order.subtotal,
  discountAmount: order.discount,
  paidAmount: order.paidAmount,
  couponId: order.couponId ?? null,
  payment: toPaymentDto(payment),
  history: order.history.map((h) => ({ status: h.status, at: iso(h.at) })),
  createdAt: iso(order.createdAt),
})

const OrderSummaryDto = Schema.Struct({
  orderId: Schema.Int,
  status: OrderStatusDto,
  representativeProductName: Schema.String,
  itemCount: Schema.Int,
  totalAmount: Schema.Int,
  paidAmount: Schema.Int,
  orderDate: Instant,
})

const toSummaryDto = (order: Order) => ({
  orderId: order.id,
  status: order.status,
  representativeProductName: order.lines[0]?.productName ?? "",
  itemCount: order.lines.length,
  totalAmount: order.subtotal,
  paidAmount: order.paidAmount,
  orderDate: iso(order.createdAt),
})

const PlaceOrderBody = Schema.Struct({
  items: Schema.optional(
    Schema.Array(Schema.Struct({ productId: ProductId, quantity: Schema.Int.pipe(Schema.between(1, 1_000_000)) })).pipe(
      Schema.minItems(1),
      Schema.maxItems(50),
    ),
  ),
  fromCart: Schema.optional(Schema.Boolean),
  couponId: Schema.optional(IssuedCouponId),
  paymentType: Schema.optionalWith(Schema.Literal("POINT", "CARD"), { default: () => "POINT" as const }),
  card: Schema.optional(
    Schema.Struct({
      cardType: CardType,
      cardNo: Schema.String.pipe(
        Schema.pattern(/^\d{4}-\d{4}-\d{4}-\d{4}$/, { message: () => "must be written 1234-5678-9012-3456" }),
      ),
    }),
  ),
})

const OrderPath = Schema.Struct({ orderId: idParam(OrderId) })

export const orderRoutes = () => [
  route({
    method: "post",
    path: "/api/v1/orders",
    tag: "orders",
    summary: "Places an order, all or nothing (Idempotency-Key replays the first result)",
    access: "user",
    idempotent: true,
    body: PlaceOrderBody,
    response: PlacedDto,
    status: 201,
    handler: ({ user, body }) =>
      Effect.map(
        Effect.flatMap(OrderService, (orders) =>
          orders.place({
            userId: user.id,
            items: body.items,
            fromCart: body.fromCart,
            couponId: body.couponId,
            paymentType: body.paymentType,
            card: body.card,
          }),
        ),
        toPlacedDto,
      ),
  }),
  route({
    method: "get",
    path: "/api/v1/orders",
    tag: "orders",
    summary: "The caller's orders, newest first",
    access: "user",
    query: PageQuery,
    response: PageOf(OrderSummaryDto),
    handler: ({ user, query }) =>
      Effect.map(
        Effect.flatMap(OrderService, (orders) => orders.list(user.id, PageRequest.make(query))),
        (page) => mapPage(page, toSummaryDto),
      ),
  }),
  route({
    method: "get",
    path: "/api/v1/orders/{orderId}",
    tag: "orders",
    summary: "One of the caller's orders (another user's is not found)",
    access: "user",
    params: OrderPath,
    response: OrderDetailDto,
    handler: ({ user, params }) =>
      Effect.map(
        Effect.flatMap(OrderService, (orders) => orders.get(user.id, params.orderId)),
        toOrderDetailDto,
      ),
  }),
  route({
    method: "post",
    path: "/api/v1/orders/{orderId}/cancel",
    tag: "orders",
    summary: "Cancels an order: stock and coupon come back, paid points are refunded",
    access: "user",
    params: OrderPath,
    response: OrderDetailDto,
    handler: ({ user, params }) =>
      Effect.map(
        Effect.flatMap(OrderService, (orders) => orders.cancel(user.id, params.orderId)),
        toOrderDetailDto,
      ),
  }),
  route({
    method: "post",
    path: PAYMENT_CALLBACK_PATH,
    tag: "payments",
    summary: "The card gateway's callback (a hint, verified with the gateway)",
    access: "public",
    body: Schema.Struct({
      transactionKey: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(200)),
      orderId: OrderId,
      status: Schema.Literal("PENDING", "SUCCESS", "FAILED"),
      reason: Schema.optional(Schema.NullOr(Schema.String.pipe(Schema.maxLength(1000)))),
    }),
    response: Schema.Struct({ accepted: Schema.Boolean }),
    handler: ({ body }) =>
      Effect.as(
        Effect.flatMap(OrderService, (orders) =>
          orders.handleCallback({ transactionKey: body.transactionKey, orderId: body.orderId, status: body.status }),
        ),
        { accepted: true },
      ),
  }),
  route({
    method: "post",
    path: "/api/v1/orders/{orderId}/payment/sync",
    tag: "payments",
    summary: "Asks the gateway for a pending card payment's state and applies it",
    access: "user",
    params: OrderPath,
    response: PaymentDto,
    handler: ({ user, params }) =>
      Effect.map(
        Effect.flatMap(OrderService, (orders) => orders.syncPayment(user.id, params.orderId)),
        toPaymentDto,
      ),
  }),
]
