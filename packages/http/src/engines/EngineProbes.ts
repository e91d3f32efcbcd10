import { RedisClient } from "@commerce-core/adapters-redis"
import { SqlClient } from "@effect/sql/SqlClient"
import { Effect, Layer } from "effect"
import type { ReadinessCheck } from "../app/AppBuilder.js"

const PROBE_TIMEOUT = "2 seconds"

/**
 * Readiness checks of the configured engines. The checks exist before the layers are built
 * (the app needs them up front); each answers false until its engine's layer has been built
 * and registered how to reach it, then pings it with a short timeout.
 */
export interface EngineProbes {
  readonly checks: ReadonlyArray<ReadinessCheck>
  readonly register: (name: string, ping: Effect.Effect<unknown, unknown>) => void
}

export const makeEngineProbes = (names: ReadonlyArray<string>): EngineProbes => {
  const pings = new Map<string, Effect.Effect<unknown, unknown>>()
  return {
    register: (name, ping) => {
      pings.set(name, ping)
    },
    checks: names.map((name) => ({
      name,
      check: () => {
        const ping = pings.get(name)
        if (ping === undefined) return Promise.resolve(false)
        return Effect.runPromise(
          ping.pipe(
            Effect.timeout(PROBE_TIMEOUT),
            Effect.as(true),
            Effect.orElseSucceed(() => false),
          ),
        )
      },
    })),
  }
}

/** Registers `SELECT 1` on the SqlClient in context as the "mysql" probe. */
export const mysqlProbe = (probes: EngineProbes) =>
  Layer.effectDiscard(Effect.map(SqlClient, (sql) => probes.register("mysql", sql`SELECT 1`)))

/** Registers `PING` on the RedisClient in context as the "redis" probe. */
export const redisProbe = (probes: EngineProbes) =>
  Layer.effectDiscard(
    Effect.map(RedisClient, (redis) =>
      probes.register(
        "redis",
        redis.run("ping", (client) => client.ping()),
      ),
    ),
  )
