import { Effect, Either, Option, Schema } from "effect"
import { QuantityLimitExceeded } from "../cart/CartErrors.js"
import { ProductNotFound, ProductUnavailable } from "../catalog/CatalogErrors.js"
import { isOnSale, type Product } from "../catalog/Product.js"
import { aggregateKey } from "../events/EventFields.js"
import { Card, maskCard, Payment, type PaymentType } from "../payments/Payment.js"
import { fromValidFields } from "../shared/CopyWith.js"
import { InvalidInput } from "../shared/DomainError.js"
import type { IssuedCouponId, ProductId, UserId } from "../shared/Ids.js"
import * as Money from "../shared/Money.js"
import type { Quantity } from "../shared/Quantity.js"
import { sortAscending } from "../shared/SortAscending.js"
import { create, type EventDraft, OrderLine, type RequestedLine, subtotalOf, validateRequestedLines } from "./Order.js"
import type { OrderContext } from "./OrderContext.js"
import { InvalidOrderLines } from "./OrderErrors.js"
import type { OrderRecord } from "./OrderRepository.js"
import * as Machine from "./OrderStatusMachine.js"

export interface PlaceOrderInput {
  readonly userId: UserId
  /** The lines to order; exactly one of `items` and `fromCart` is given. */
  readonly items?: ReadonlyArray<RequestedLine> | undefined
  /** Order every line of the cart; the ordered lines leave the cart in the same transaction. */
  readonly fromCart?: boolean | undefined
  /** An issued coupon of this user. */
  readonly couponId?: IssuedCouponId | undefined
  readonly paymentType: PaymentType
  /** Required for CARD. */
  readonly card?: { readonly cardType: string; readonly cardNo: string } | undefined
}

const decodeCard = Schema.decodeUnknownEither(Card)

const checkInput = (input: PlaceOrderInput) => {
  if (input.paymentType !== "POINT" && input.paymentType !== "CARD") {
    return Either.left(new InvalidInput({ field: "paymentType", reason: "must be POINT or CARD" }))
  }
  const fromCart = input.fromCart === true
  if (input.items !== undefined && !Array.isArray(input.items)) {
    return Either.left(new InvalidInput({ field: "items", reason: "must be a list of {productId, quantity}" }))
  }
  if (fromCart === (input.items !== undefined)) {
    return Either.left(new InvalidInput({ field: "items", reason: "give either items or fromCart: true" }))
  }
  let card: Option.Option<Card> = Option.none()
  if (input.paymentType === "CARD") {
    const decoded = decodeCard(input.card)
    if (Either.isLeft(decoded)) {
      return Either.left(new InvalidInput({ field: "card", reason: "CARD payments need {cardType, cardNo}" }))
    }
    card = Option.some(decoded.right)
  }
  return Either.right({ fromCart, card })
}

/**
 * Places an order in one transaction: lines checked against the catalog, stock taken in
 * ascending product order, coupon used, order and payment stored, points used (POINT), the
 * ordered units removed from the cart (fromCart), events appended. Any failure leaves nothing
 * behind. An order with nothing to pay (fully discounted) is paid at once, whatever its payment
 * type: no points are used and the gateway is never asked.
 */
export const makePlaceOrder = (ctx: OrderContext) => {
  /**
   * Takes the ordered units out of the cart in one atomic write (never read-then-write, which
   * could lose a concurrent add): a line that grew since it was ordered keeps the extra units,
   * one that shrank or left is not touched further (CartRepository.subtract).
   */
  const removeOrdered = (userId: UserId, ordered: ReadonlyArray<RequestedLine>) =>
    ctx.cartLines.subtract(
      userId,
      ordered.map((line) => ({ productId: line.productId as ProductId, quantity: line.quantity as Quantity })),
    )

  const checkProduct = (
    product: Product | undefined,
    line: RequestedLine,
    productId: ProductId,
  ): Either.Either<Product, ProductNotFound | ProductUnavailable | QuantityLimitExceeded> => {
    if (product === undefined) return Either.left(new ProductNotFound({ productId }))
    if (!isOnSale(product)) return Either.left(new ProductUnavailable({ productId }))
    if (line.quantity > product.maxOrderQuantity) {
      return Either.left(
        new QuantityLimitExceeded({ productId, requested: line.quantity, max: product.maxOrderQuantity }),
      )
    }
    return Either.right(product)
  }

  // The order path checks with plain Eithers and returns early: yielding an Either costs a
  // step of the fiber, and a point order is the hottest path there is. The input is checked
  // when the effect is built (the checks are pure), so no generator is needed outside the
  // transaction.
  return (input: PlaceOrderInput) => {
    const checked = checkInput(input)
    if (Either.isLeft(checked)) return Effect.fail(checked.left)
    const { fromCart, card } = checked.right
    if (input.items !== undefined) {
      const valid = validateRequestedLines(input.items)
      if (Either.isLeft(valid)) return Effect.fail(valid.left)
    }
    return Effect.flatMap(ctx.now, (now) =>
      ctx.tx.withTransaction(
        Effect.gen(function* () {
          let requested: ReadonlyArray<RequestedLine> = input.items ?? []
          if (fromCart) {
            requested = (yield* ctx.cart.view(input.userId)).items
            if (requested.length === 0) return yield* new InvalidOrderLines({ reason: "the cart is empty" })
            const valid = validateRequestedLines(requested)
            if (Either.isLeft(valid)) return yield* valid.left
          }
          const sorted = sortAscending(requested, (line) => line.productId)
          const found = yield* ctx.products.findByIds(sorted.map((l) => l.productId as ProductId))

          const lines: Array<OrderLine> = []
          for (const line of requested) {
            const productId = line.productId as ProductId
            const checkedLine = checkProduct(
              found.find((p) => p.id === productId),
              line,
              productId,
            )
            if (Either.isLeft(checkedLine)) return yield* checkedLine.left
            const product = checkedLine.right
            lines.push(
              fromValidFields(OrderLine, {
                productId: product.id,
                productName: product.name,
                unitPrice: product.price,
                quantity: line.quantity as Quantity,
              }),
            )
          }
          const subtotal = subtotalOf(lines)
          if (Either.isLeft(subtotal)) return yield* subtotal.left
          const orderId = yield* ctx.orders.nextId

          const discount =
            input.couponId === undefined
              ? Money.zero
              : (yield* ctx.coupons.applyToOrder({
                  couponId: input.couponId,
                  userId: input.userId,
                  orderId,
                  subtotal: subtotal.right,
                  now,
                })).discount

          const placed = create({
            id: orderId,
            userId: input.userId,
            lines,
            discount,
            couponId: input.couponId,
            paymentType: input.paymentType,
            now,
          })
          if (Either.isLeft(placed)) return yield* placed.left
          let order = placed.right.order
          const orderPlaced = placed.right.events[0] as EventDraft<"OrderPlaced">
          // the events after the stock ones (PointsUsed, OrderPaid)
          const after: Array<EventDraft<"PointsUsed" | "OrderPaid">> = []
          const free = order.paidAmount === 0
          // POINT orders, and orders with nothing to pay, are paid in this transaction
          const paysNow = input.paymentType === "POINT" || free
          const requests = Option.isSome(card) && !free
          const paymentFields: ConstructorParameters<typeof Payment>[0] = {
            orderId,
            type: input.paymentType,
            status: paysNow ? "SUCCESS" : "PENDING",
            amount: order.paidAmount,
            attempts: requests ? 1 : 0,
            updatedAt: now,
          }
          const payment = fromValidFields(
            Payment,
            Option.isNone(card)
              ? paymentFields
              : {
                  ...paymentFields,
                  maskedCard: maskCard(card.value),
                  // The full card only for a request still to be sent (see Payment.card).
                  ...(requests ? { card: card.value, lastAttemptAt: now } : {}),
                },
          )

          if (paysNow) {
            // the order's own transaction and its one append: no savepoint, no second append
            if (!free) {
              const debited = yield* ctx.points.debit({
                userId: input.userId,
                amount: order.paidAmount,
                orderId,
                at: now,
              })
              after.push(debited.event)
            }
            // A fresh order is PENDING_PAYMENT, so paying it cannot be refused.
            const paid = Either.getOrThrow(Machine.markPaid(order, now))
            order = paid.order
            for (const event of paid.events) after.push(event as EventDraft<"OrderPaid">)
          }

          yield* ctx.orders.insert({ order, payment })
          if (fromCart) yield* removeOrdered(input.userId, sorted)

          // Stock last: in SQL a popular product's row stays locked from its decrement to the
          // commit, so every other statement of the order runs before it, leaving only the
          // event append inside that window. Sold out here rolls back everything above.
          const stockEvents: Array<EventDraft<"StockDecreased">> = []
          for (const line of sorted) {
            const productId = line.productId as ProductId
            const quantity = line.quantity as Quantity
            const stockAfter = yield* ctx.products.decrementStock(productId, quantity)
            stockEvents.push({
              _tag: "StockDecreased",
              aggregateKey: aggregateKey.product(productId),
              productId,
              quantity,
              stockAfter,
              orderId,
            })
          }
          yield* ctx.append([orderPlaced, ...stockEvents, ...after], now)
          return { order, payment } satisfies OrderRecord
        }),
      ),
    )
  }
}
