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
  LikeServiceLive,
  makeProductMetricsConsumer,
  makeRankingConsumer,
  OrderServiceLive,
  PointPolicyFromConfig,
  PointServiceLive,
  ProductViewTallyLive,
  RankingServiceLive,
  RankingWeightsFromConfig,
  UserServiceLive,
} from "@commerce-core/domain"
import { type Duration, Effect, Layer } from "effect"
import { CardPaymentFromEnv } from "../config/CardPaymentFromEnv.js"

/**
 * Configuration every engine shares, read from the environment: the point policy, the ranking
 * weights and the card payment settings (callback URL, attempts).
 */
export const PolicyLayer = Layer.mergeAll(PointPolicyFromConfig, RankingWeightsFromConfig, CardPaymentFromEnv)

/**
 * The domain services of the API over whatever ports are in context, with the simulated
 * card gateway behind the resilience policy delivering its callbacks to the order service,
 * and the product view tally flushed every `viewFlushEvery` (1 second by default).
 * A client for a real gateway (`PG_BASE_URL`) does not exist yet.
 */
export const apiServicesLayer = (
  options: { readonly gateway?: GatewaySimulation; readonly viewFlushEvery?: Duration.DurationInput } = {},
) => {
  const catalog = CatalogServiceLive.pipe(Layer.provideMerge(ProductViewTallyLive(options.viewFlushEvery)))
  const services = Layer.mergeAll(catalog, LikeServiceLive, RankingServiceLive).pipe(
    Layer.provideMerge(Layer.mergeAll(UserServiceLive, CartServiceLive, CouponServiceLive)),
    Layer.provideMerge(PointServiceLive),
  )
  const orders = OrderServiceLive
  return Layer.mergeAll(orders, PaymentCallbacksToOrderService.pipe(Layer.provide(orders))).pipe(
    Layer.provideMerge(services),
    Layer.provideMerge(PaymentGatewayMemory(options.gateway ?? defaultGatewaySimulation)),
  )
}

/** The consumers every deployment runs (metrics per day, the live ranking) plus `extra`. */
export const standardConsumers = (extra: ReadonlyArray<EventConsumer>) =>
  Effect.gen(function* () {
    const metrics = yield* makeProductMetricsConsumer
    const ranking = yield* makeRankingConsumer
    return [metrics, ranking, ...extra] as ReadonlyArray<EventConsumer>
  })
