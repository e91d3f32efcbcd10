import {
  BrandRepository,
  CardPaymentConfig,
  type CardPaymentSettings,
  CartServiceLive,
  CatalogDescription,
  CatalogName,
  CouponService,
  CouponServiceLive,
  type CouponType,
  defaultCardPaymentSettings,
  type GatewayPolicy,
  Money,
  type OrderId,
  OrderService,
  OrderServiceLive,
  PaymentGateway,
  PointPolicyDefault,
  PointService,
  PointServiceLive,
  PointWalletRepository,
  type ProductId,
  ProductRepository,
  type ProductStatus,
  type Quantity,
  type StockLevel,
  type UserId,
} from "@commerce-core/domain"
import { Clock, Duration, Effect, Layer, Option } from "effect"
import { expect } from "vitest"
import { CartRepositoryMemory } from "../../src/cart/index.js"
import { CatalogMemory } from "../../src/catalog/index.js"
import { CouponsMemory } from "../../src/coupons/index.js"
import { EventOutboxMemory, OutboxTableMemory, OutboxTableMemoryLive } from "../../src/EventOutboxMemory.js"
import { IdGeneratorRandom } from "../../src/IdGeneratorRandom.js"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { OrderRepositoryMemory } from "../../src/orders/OrderRepositoryMemory.js"
import { PaymentCallbacksToOrderService } from "../../src/payments/PaymentCallbacksToOrderService.js"
import { PaymentGatewayMemory } from "../../src/payments/PaymentGatewayMemory.js"
import {
  defaultGatewaySimulation,
  type GatewaySimulation,
  PaymentGatewaySimulator,
} from "../../src/payments/PaymentGatewaySimulated.js"
import { PointWalletRepositoryMemory } from "../../src/points/index.js"
import { TransactorMemory } from "../../src/TransactorMemory.js"

export const testPolicy: GatewayPolicy = {
  timeout: Duration.seconds(1),
  maxRetries: 2,
  backoffBase: Duration.millis(10),
  failureThreshold: 1_000,
  resetTimeout: Duration.seconds(1),
}

/**
 * Every service an order touches, on one memory database, with a simulated gateway whose
 * callbacks reach OrderService.handleCallback.
 */
export const orderWorld = (
  simulation: Partial<GatewaySimulation> = {},
  policy: GatewayPolicy = testPolicy,
  settings: Partial<CardPaymentSettings> = {},
  /** Replaces the simulated gateway behind the policy (`simulation` and `policy` then go unused). */
  gatewayLayer?: Layer.Layer<PaymentGateway | PaymentGatewaySimulator>,
) => {
  const outbox = EventOutboxMemory.pipe(Layer.provideMerge(OutboxTableMemoryLive))
  const stores = Layer.mergeAll(
    TransactorMemory,
    IdGeneratorRandom,
    outbox,
    CatalogMemory,
    PointWalletRepositoryMemory,
    CartRepositoryMemory,
    CouponsMemory,
    OrderRepositoryMemory,
  ).pipe(Layer.provideMerge(MemoryDatabaseLive))
  const services = Layer.mergeAll(PointServiceLive, CartServiceLive, CouponServiceLive).pipe(
    Layer.provideMerge(PointPolicyDefault),
    Layer.provideMerge(stores),
  )
  const gateway =
    gatewayLayer ?? PaymentGatewayMemory({ ...defaultGatewaySimulation, declineRatio: 0, ...simulation }, policy)
  const config = Layer.succeed(CardPaymentConfig, { ...defaultCardPaymentSettings, ...settings })
  return PaymentCallbacksToOrderService.pipe(
    Layer.provideMerge(OrderServiceLive.pipe(Layer.provide(config))),
    Layer.provideMerge(gateway),
    Layer.provideMerge(services),
  )
}

let brandCount = 0

export const seedProduct = (options: {
  readonly price: number
  readonly stock: number
  readonly maxOrderQuantity?: number
  readonly status?: ProductStatus
  readonly name?: string
}) =>
  Effect.gen(function* () {
    const brands = yield* BrandRepository
    const products = yield* ProductRepository
    const brand = yield* brands.insert({
      name: CatalogName.make(`Brand ${++brandCount}`),
      description: CatalogDescription.make(""),
      active: true,
      createdAt: new Date(0),
    })
    return yield* products.insert({
      brandId: brand.id,
      name: CatalogName.make(options.name ?? `Product of brand ${brand.id}`),
      description: CatalogDescription.make(""),
      price: Money.make(options.price),
      stock: options.stock as StockLevel,
      maxOrderQuantity: (options.maxOrderQuantity ?? 1_000_000) as Quantity,
      status: options.status ?? "ACTIVE",
      createdAt: new Date(0),
    })
  })

const MIN_CHARGE = 1_000
const MAX_CHARGE = 10_000_000

/** A wallet charged with exactly `points` (0, or at least the minimum charge of 1,000), in allowed charges. */
export const seedUser = (userId: number, points: number) =>
  Effect.gen(function* () {
    if (points !== 0 && points < MIN_CHARGE) {
      return yield* Effect.dieMessage(`seedUser: ${points} points cannot be charged (minimum ${MIN_CHARGE})`)
    }
    const wallets = yield* PointWalletRepository
    const service = yield* PointService
    yield* wallets.create(userId as UserId, new Date(0))
    let left = points
    while (left > 0) {
      let amount = Math.min(left, MAX_CHARGE)
      // Never leave a remainder below the minimum charge.
      if (left - amount > 0 && left - amount < MIN_CHARGE) amount -= MIN_CHARGE
      yield* service.charge({ userId: userId as UserId, amount })
      left -= amount
    }
    expect(yield* service.balance(userId as UserId)).toBe(points)
    return userId as UserId
  })

/** An issued coupon of the user, valid for `validDays` from now. */
export const seedCoupon = (userId: UserId, type: CouponType, value: number, validDays = 30) =>
  Effect.gen(function* () {
    const coupons = yield* CouponService
    const now = yield* Clock.currentTimeMillis
    const template = yield* coupons.createTemplate({
      name: `${type} ${value}`,
      type,
      value,
      issueStartsAt: new Date(now),
      issueEndsAt: new Date(now + 365 * 24 * 3600 * 1000),
      validDays,
    })
    return (yield* coupons.issue(template.id, userId)).id
  })

export const outboxEvents = Effect.map(OutboxTableMemory, (table) =>
  Array.from(table.committed.values())
    .sort((a, b) => a.sequence - b.sequence)
    .map((e) => e.event),
)

export const card = { cardType: "SAMSUNG", cardNo: "1234-5678-9012-3456" } as const

/** A product's committed stock (the product must exist). */
export const stockOf = (id: ProductId) =>
  Effect.flatMap(ProductRepository, (p) => Effect.map(p.findById(id), (o) => Option.getOrThrow(o).stock))

/** A user's point balance. */
export const balanceOf = (userId: UserId) => Effect.flatMap(PointService, (p) => p.balance(userId))

/** A further request for the order landing at the gateway now (a slow or resent one), charged after the latency. */
export const extraCharge = (orderId: OrderId, amount: number) =>
  Effect.flatMap(PaymentGateway, (gateway) =>
    gateway.requestPayment({ orderId, amount: amount as never, card: card as never, callbackUrl: "http://cb" }),
  )

/** Every callback of the order's transactions delivered again, as a gateway's redelivery would. */
export const redeliver = (orderId: OrderId) =>
  Effect.gen(function* () {
    const orders = yield* OrderService
    for (const t of yield* (yield* PaymentGatewaySimulator).transactions) {
      if (t.orderId === orderId) {
        yield* orders.handleCallback({ transactionKey: t.transactionKey, orderId, status: t.status })
      }
    }
  })
