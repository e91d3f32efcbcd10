import {
  CartRepositoryMemory,
  CatalogMemory,
  CouponsMemory,
  defaultGatewaySimulation,
  EventOutboxMemory,
  type GatewaySimulation,
  IdempotencyStoreMemory,
  IdGeneratorRandom,
  LikeRepositoryMemory,
  MemoryDatabaseLive,
  OrderRepositoryMemory,
  OutboxTableMemoryLive,
  PasswordHasherScrypt,
  PaymentCallbacksToOrderService,
  PaymentGatewayMemory,
  PointWalletRepositoryMemory,
  RankingMemory,
  TransactorMemory,
  UserRepositoryMemory,
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
  OutboxRelayDaemon,
  type PasswordHasher,
  PointPolicyFromConfig,
  PointServiceLive,
  RankingServiceLive,
  RankingWeightsDefault,
  UserServiceLive,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { selectivePipeline } from "./SelectivePipeline.js"

export interface EmbeddedOptions {
  /** Extra consumers of the in-process pipeline (the HTTP metrics consumer among them). */
  readonly consumers?: ReadonlyArray<EventConsumer>
  readonly gateway?: GatewaySimulation
  /** Run the outbox relay in the background (servers); tests may drain it themselves. */
  readonly relayDaemon?: boolean
  /** Replaces scrypt with default parameters (tests use cheaper ones). */
  readonly passwordHasher?: Layer.Layer<PasswordHasher>
}

/**
 * Every service of the API on the memory adapters, the in-process event pipeline and the
 * simulated card gateway behind the resilience policy: what `npm start` runs with no engines.
 */
export const makeEmbeddedLayer = (options: EmbeddedOptions = {}) => {
  const base = Layer.mergeAll(MemoryDatabaseLive, IdGeneratorRandom, PointPolicyFromConfig, RankingWeightsDefault)
  const storage = Layer.mergeAll(
    TransactorMemory,
    EventOutboxMemory,
    UserRepositoryMemory,
    PointWalletRepositoryMemory,
    CatalogMemory,
    LikeRepositoryMemory,
    CartRepositoryMemory,
    CouponsMemory,
    OrderRepositoryMemory,
    RankingMemory,
    IdempotencyStoreMemory,
    options.passwordHasher ?? PasswordHasherScrypt,
  ).pipe(Layer.provideMerge(OutboxTableMemoryLive))

  const gateway = PaymentGatewayMemory(options.gateway ?? defaultGatewaySimulation)

  const services = Layer.mergeAll(CatalogServiceLive, LikeServiceLive, RankingServiceLive).pipe(
    Layer.provideMerge(Layer.mergeAll(UserServiceLive, CartServiceLive, CouponServiceLive)),
    Layer.provideMerge(PointServiceLive),
  )
  const orders = OrderServiceLive

  const pipeline = selectivePipeline(
    Effect.gen(function* () {
      const metrics = yield* makeProductMetricsConsumer
      const ranking = yield* makeRankingConsumer
      return [metrics, ranking, ...(options.consumers ?? [])]
    }),
  )

  const app = Layer.mergeAll(orders, PaymentCallbacksToOrderService.pipe(Layer.provide(orders))).pipe(
    Layer.provideMerge(services),
    Layer.provideMerge(gateway),
  )
  const withPipeline = Layer.mergeAll(app, pipeline).pipe(Layer.provideMerge(storage), Layer.provideMerge(base))
  return options.relayDaemon === false
    ? withPipeline
    : Layer.merge(withPipeline, OutboxRelayDaemon.pipe(Layer.provide(withPipeline)))
}
