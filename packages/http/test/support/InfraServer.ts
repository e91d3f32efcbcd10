import { IdempotencyStoreMemory, MemoryDatabaseLive } from "@commerce-core/adapters-memory"
import { PersistenceUnavailable, UserId } from "@commerce-core/domain"
import { Effect, Layer, Option, Ref } from "effect"
import { buildApp } from "../../src/app/AppBuilder.js"
import { type HttpConfig, makeHttpConfig } from "../../src/config/HttpConfig.js"
import { startServer } from "../../src/server/Server.js"
import { makeInfraRoutes } from "../infra/InfraRoutes.js"
import { makeClient } from "./Http.js"

/** A server with only the infrastructure routes; logs are captured for assertions. */
export const startInfraServer = async (overrides: Partial<HttpConfig> = {}) => {
  const config = makeHttpConfig(overrides)
  const counter = Ref.unsafeMake(0)
  const logs: Array<Record<string, unknown>> = []
  /** Every login id the gateway-mode lookup was asked for, in order. */
  const gatewayLookups: Array<string> = []
  const app = buildApp({
    layer: IdempotencyStoreMemory.pipe(Layer.provide(MemoryDatabaseLive)),
    routes: () => makeInfraRoutes(counter),
    config,
    defaultMetrics: false,
    logSink: (line) => logs.push(JSON.parse(line)),
    resolveGatewayUser: (loginId) =>
      Effect.sync(() => gatewayLookups.push(loginId)).pipe(Effect.zipRight(lookUp(loginId))),
  })
  const server = await startServer(app, { host: "127.0.0.1", port: 0 })
  return { app, server, config, counter, logs, gatewayLookups, client: makeClient(server.url) }
}

const lookUp = (loginId: string) =>
  loginId === "broken"
    ? Effect.fail(new PersistenceUnavailable({ reason: "user store down" }))
    : Effect.succeed(loginId === "alice" ? Option.some({ id: UserId.make(1), loginId }) : Option.none())
