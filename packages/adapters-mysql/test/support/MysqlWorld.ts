import { randomUUID } from "node:crypto"
import {
  BrandRepository,
  CartServiceLive,
  CatalogDescription,
  CatalogName,
  CouponServiceLive,
  type EventId,
  IdGenerator,
  Money,
  makeIdGenerator,
  OrderServiceLive,
  PaymentGateway,
  PaymentGatewayUnavailable,
  PointPolicyDefault,
  PointServiceLive,
  ProductRepository,
  type Quantity,
  type StockLevel,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { MysqlAdapters } from "../../src/index.js"

export const IdGeneratorUuid = Layer.succeed(
  IdGenerator,
  makeIdGenerator(() => randomUUID() as EventId),
)

/** These tests pay with points only: a card request reaching the gateway is a failure of the test. */
const NoCardGateway = Layer.succeed(
  PaymentGateway,
  PaymentGateway.of({
    requestPayment: () => Effect.fail(new PaymentGatewayUnavailable({ reason: "no card payments in this test" })),
    getTransaction: () => Effect.fail(new PaymentGatewayUnavailable({ reason: "no card payments in this test" })),
    listTransactions: () => Effect.fail(new PaymentGatewayUnavailable({ reason: "no card payments in this test" })),
  }),
)

/** The domain's services on every MySQL adapter (needs only the SqlClient), with the given card gateway. */
export const mysqlWorld = (gateway: Layer.Layer<PaymentGateway> = NoCardGateway) => {
  const stores = Layer.mergeAll(MysqlAdapters, IdGeneratorUuid, PointPolicyDefault, gateway)
  const services = Layer.mergeAll(PointServiceLive, CartServiceLive, CouponServiceLive).pipe(Layer.provideMerge(stores))
  return OrderServiceLive.pipe(Layer.provideMerge(services))
}

export const seedProduct = (options: { readonly price: number; readonly stock: number; readonly max?: number }) =>
  Effect.gen(function* () {
    const brands = yield* BrandRepository
    const products = yield* ProductRepository
    const brand = yield* brands.insert({
      name: CatalogName.make("Brand"),
      description: CatalogDescription.make(""),
      active: true,
      createdAt: new Date(0),
    })
    return yield* products.insert({
      brandId: brand.id,
      name: CatalogName.make("Hot product"),
      description: CatalogDescription.make(""),
      price: Money.make(options.price),
      stock: options.stock as StockLevel,
      maxOrderQuantity: (options.max ?? 1_000) as Quantity,
      status: "ACTIVE",
      createdAt: new Date(0),
    })
  })
