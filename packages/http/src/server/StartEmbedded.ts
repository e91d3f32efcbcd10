import { Cause, Chunk, ConfigError, ConfigProvider, Effect, Either, Exit, Layer, LogLevel, Redacted } from "effect"
import type { ApiServices } from "../app/ApiRoutes.js"
import type { App } from "../app/AppBuilder.js"
import { makeApp } from "../app/makeApp.js"
import { describeConfigError, type HttpConfig, loadHttpConfig } from "../config/HttpConfig.js"
import { seedDemoData } from "../embedded/DemoData.js"
import { makeEmbeddedLayer } from "../embedded/EmbeddedLayer.js"
import { EmbeddedJobs } from "../embedded/Jobs.js"
import { makeHttpMetrics } from "../observability/HttpMetrics.js"
import type { LogSink } from "../observability/JsonLogger.js"
import { makeMetricsConsumer } from "../observability/MetricsConsumer.js"
import { type RunningServer, startServer } from "./Server.js"

export type Environment = Record<string, string | undefined>

export type StartResult =
  | {
      readonly _tag: "Started"
      readonly config: HttpConfig
      readonly app: App<ApiServices, unknown>
      readonly server: RunningServer
    }
  /** One line per bad variable, or per failure of a layer at start-up. */
  | { readonly _tag: "Failed"; readonly heading: string; readonly lines: ReadonlyArray<string> }

const providerOf = (env: Environment) =>
  ConfigProvider.fromMap(new Map(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)))

/**
 * What `npm start` does: validate the configuration, build the embedded default (memory
 * adapters, in-process pipeline, simulated gateway, periodic jobs), seed demo data, print a
 * generated admin key once, and listen. Every variable, the layers' own included, is read
 * from `env`.
 */
export const startEmbedded = async (
  env: Environment,
  options: { readonly logSink?: LogSink } = {},
): Promise<StartResult> => {
  const loaded = await Effect.runPromise(loadHttpConfig(env))
  if (Either.isLeft(loaded)) return { _tag: "Failed", heading: "Invalid configuration", lines: loaded.left }
  const config = loaded.right

  const metrics = makeHttpMetrics()
  const embedded = makeEmbeddedLayer({ consumers: [makeMetricsConsumer(metrics)] })
  const layer = Layer.merge(embedded, EmbeddedJobs.pipe(Layer.provide(embedded))).pipe(
    Layer.provide(Layer.setConfigProvider(providerOf(env))),
  )
  const app = makeApp({ layer, config, metrics, ...(options.logSink ? { logSink: options.logSink } : {}) })

  const built = await Effect.runPromiseExit(app.runtime.runtimeEffect)
  if (Exit.isFailure(built)) {
    const failures = Chunk.toArray(Cause.failures(built.cause))
    const lines = failures.flatMap((e) => (ConfigError.isConfigError(e) ? describeConfigError(e) : [String(e)]))
    await app.dispose()
    return {
      _tag: "Failed",
      heading: "Start-up failed",
      lines: lines.length > 0 ? Array.from(new Set(lines)) : [Cause.pretty(built.cause)],
    }
  }
  if (config.seedDemoData) {
    const seeded = await app.runtime.runPromise(seedDemoData)
    app.write(LogLevel.Info, "demo data seeded", seeded)
  }
  if (config.adminKeyGenerated) {
    // printed once, on purpose: the operator needs it and it exists nowhere else
    app.write(LogLevel.Warning, "ADMIN_KEY is not set; generated an admin key for this process", {
      adminKey: Redacted.value(config.adminKey),
    })
  }
  if (config.authSecretGenerated) {
    app.write(
      LogLevel.Warning,
      "AUTH_SECRET is not set; tokens are signed with a random secret and die with the process",
    )
  }
  const server = await startServer(app, { host: config.host, port: config.port })
  app.write(LogLevel.Info, "listening", { url: server.url, authMode: config.authMode, docs: `${server.url}/docs` })
  return { _tag: "Started", config, app, server }
}
