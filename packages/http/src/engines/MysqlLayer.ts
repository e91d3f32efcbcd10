import { IdGeneratorRandom, PasswordHasherScrypt } from "@commerce-core/adapters-memory"
import {
  EventInboxMysql,
  MysqlAdapters,
  MysqlMigratedClientLive,
  OutboxRelayStoreMysql,
} from "@commerce-core/adapters-mysql"
import { RedisEventConsumers } from "@commerce-core/adapters-redis"
import { Effect, Layer } from "effect"
import { apiServicesLayer, PolicyLayer, standardConsumers } from "../embedded/ApiServicesLayer.js"
import { type EmbeddedOptions, withRelayDaemon } from "../embedded/EmbeddedLayer.js"
import { selectivePipelineOver } from "../embedded/SelectivePipeline.js"
import { type EngineProbes, mysqlProbe, redisProbe } from "./EngineProbes.js"
import { withRedisHotPaths } from "./RedisOverlay.js"

export interface MysqlEngineOptions extends EmbeddedOptions {
  /** Put the Redis adapters (from REDIS_URL) in the hot paths. */
  readonly redis?: boolean
  /** Where the engines register their readiness pings. */
  readonly probes?: EngineProbes
}

const pipelineOnMysql = selectivePipelineOver({ inbox: EventInboxMysql, relayStore: OutboxRelayStoreMysql })

/**
 * Every port that has a MySQL adapter on the database of `MYSQL_URL` (migrated while the
 * layer builds, idempotently and safely from several processes), the event pipeline on the
 * MySQL outbox and inbox with the in-process publisher, and the simulated card gateway.
 * With `redis`, the Redis adapters of `REDIS_URL` decorate or replace the hot paths and the
 * product cache is also invalidated by the pipeline's events.
 */
export const makeMysqlLayer = (options: MysqlEngineOptions = {}) => {
  const probes = options.probes
  const client = probes ? Layer.provideMerge(mysqlProbe(probes), MysqlMigratedClientLive) : MysqlMigratedClientLive
  const mysql = Layer.mergeAll(
    MysqlAdapters,
    IdGeneratorRandom,
    options.passwordHasher ?? PasswordHasherScrypt,
    PolicyLayer,
  ).pipe(Layer.provideMerge(client))
  const extra = options.consumers ?? []

  if (options.redis === true) {
    const storage = withRedisHotPaths(mysql)
    const withProbe = probes ? Layer.provideMerge(redisProbe(probes), storage) : storage
    const consumers = Effect.zipWith(standardConsumers(extra), RedisEventConsumers, (standard, redis) => [
      ...standard,
      ...redis,
    ])
    const app = Layer.mergeAll(apiServicesLayer(options), pipelineOnMysql(consumers)).pipe(
      Layer.provideMerge(withProbe),
    )
    return withRelayDaemon(app, options.relayDaemon)
  }
  const app = Layer.mergeAll(apiServicesLayer(options), pipelineOnMysql(standardConsumers(extra))).pipe(
    Layer.provideMerge(mysql),
  )
  return withRelayDaemon(app, options.relayDaemon)
}
