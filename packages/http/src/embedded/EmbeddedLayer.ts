import {
  CartRepositoryMemory,
  CatalogMemory,
  CouponsMemory,
  EventOutboxMemory,
  type GatewaySimulation,
  IdempotencyStoreMemory,
  IdGeneratorRandom,
  LikeRepositoryMemory,
  MemoryDatabaseLive,
  OrderRepositoryMemory,
  OutboxTableMemoryLive,
  PasswordHasherScrypt,
  PointWalletRepositoryMemory,
  RankingMemory,
  TransactorMemory,
  UserRepositoryMemory,
} from "@commerce-core/adapters-memory"
import { type EventConsumer, OutboxRelayDaemon, type PasswordHasher } from "@commerce-core/domain"
import { type Duration, Layer } from "effect"
import { apiServicesLayer, PolicyLayer, standardConsumers } from "./ApiServicesLayer.js"
import { selectivePipeline } from "./SelectivePipeline.js"

export interface EmbeddedOptions {
  /** Extra consumers of the in-process pipeline (the HTTP metrics consumer among them). */
  readonly consumers?: ReadonlyArray<EventConsumer>
  readonly gateway?: GatewaySimulation
  /** Run the outbox relay in the background (servers); tests may drain it themselves. */
  readonly relayDaemon?: boolean
  /** How often counted product views are written to the outbox (default 1 second). */
  readonly viewFlushEvery?: Duration.DurationInput
  /** Replaces scrypt with default parameters (tests use cheaper ones). */
  readonly passwordHasher?: Layer.Layer<PasswordHasher>
}

/** Adds the relay daemon (unless turned off) on top of a layer that provides the pipeline. */
export const withRelayDaemon = <A, E, R>(layer: Layer.Layer<A, E, R>, relayDaemon: boolean | undefined) =>
  relayDaemon === false
    ? layer
    : Layer.merge(layer, OutboxRelayDaemon.pipe(Layer.provide(layer as Layer.Layer<A, E, R>)))

/**
 * Every service of the API on the memory adapters, the in-process event pipeline and the
 * simulated card gateway behind the resilience policy: what `npm start` runs with no engines.
 */
export const makeEmbeddedLayer = (options: EmbeddedOptions = {}) => {
  const base = Layer.mergeAll(MemoryDatabaseLive, IdGeneratorRandom, PolicyLayer)
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

  const pipeline = selectivePipeline(standardConsumers(options.consumers ?? []))
  const withPipeline = Layer.mergeAll(apiServicesLayer(options), pipeline).pipe(
    Layer.provideMerge(storage),
    Layer.provideMerge(base),
  )
  return withRelayDaemon(withPipeline, options.relayDaemon)
}
