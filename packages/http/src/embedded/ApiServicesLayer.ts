import {
  defaultGatewaySimulation,
  type GatewaySimulation,
  PaymentCallbacksToOrderService,
  PaymentGatewayMemory,
} from "@commerce-core/adapters-memory"
import {
  CartServiceLive,
  CatalogServiceLive,
  CouponServiceLive,
  type EventConsumer,
  GroupedAppendLive,
  LikeServiceLive,
  makeProductMetricsConsumer,
  makeRankingConsumer,
  OrderServiceLive,
  PointPolicyFromConfig,
  PointServiceLive,
  RankingServiceLive,
  RankingWeightsDefault,
  UserServiceLive,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"

/** Configuration every engine shares: the point policy (from the environment) and the ranking weights. */
export const PolicyLayer = Layer.merge(PointPolicyFromConfig, RankingWeightsDefault)

/**
 * The domain services of the API over whatever ports are in context, with the simulated
 * card gateway behind the resilience policy delivering its callbacks to the order service.
 * A client for a real gateway (`PG_BASE_URL`) does not exist yet.
 */
export const apiServicesLayer = (
  gateway: GatewaySimulation = defaultGatewaySimulation,
  options: { readonly groupedViews?: boolean } = {},
) => {
  // With a SQL outbox, product views are appended with group commit (one commit per burst of
  // views, not one per view). The memory outbox appends in microseconds: queueing costs more.
  const catalog = options.groupedViews
    ? CatalogServiceLive.pipe(Layer.provide(GroupedAppendLive()))
    : CatalogServiceLive
  const services = Layer.mergeAll(catalog, LikeServiceLive, RankingServiceLive).pipe(
    Layer.provideMerge(Layer.mergeAll(UserServiceLive, CartServiceLive, CouponServiceLive)),
    Layer.provideMerge(PointServiceLive),
  )
  const orders = OrderServiceLive
  return Layer.mergeAll(orders, PaymentCallbacksToOrderService.pipe(Layer.provide(orders))).pipe(
    Layer.provideMerge(services),
    Layer.provideMerge(PaymentGatewayMemory(gateway)),
  )
}

/** The consumers every deployment runs (metrics per day, the live ranking) plus `extra`. */
export const standardConsumers = (extra: ReadonlyArray<EventConsumer>) =>
  Effect.gen(function* () {
    const metrics = yield* makeProductMetricsConsumer
    const ranking = yield* makeRankingConsumer
    return [metrics, ranking, ...extra] as ReadonlyArray<EventConsumer>
  })
