import type { GatewaySimulation } from "@commerce-core/adapters-memory"
import type { IdempotencyStore, PasswordHasher } from "@commerce-core/domain"
import { Cause, ConfigProvider, Effect, Either, Exit, Layer, LogLevel, Redacted } from "effect"
import type { ApiServices } from "../app/ApiRoutes.js"
import type { App } from "../app/AppBuilder.js"
import { makeApp } from "../app/makeApp.js"
import { type HttpConfig, loadHttpConfig } from "../config/HttpConfig.js"
import { seedDemoData, seedDemoDataIfEmpty } from "../embedded/DemoData.js"
import { makeEmbeddedLayer } from "../embedded/EmbeddedLayer.js"
import { defaultJobSettings, type JobSettings, makeEmbeddedJobs } from "../embedded/Jobs.js"
import {
  defaultRetentionSettings,
  makeMemoryRetentionJobs,
  makeMysqlRetentionJobs,
  memoryRetentionSettings,
  type RetentionSettings,
} from "../embedded/RetentionJobs.js"
import { type EngineMode, loadEngineMode } from "../engines/EngineConfig.js"
import { makeEngineProbes } from "../engines/EngineProbes.js"
import { makeMysqlLayer } from "../engines/MysqlLayer.js"
import { makeHttpMetrics } from "../observability/HttpMetrics.js"
import type { LogSink } from "../observability/JsonLogger.js"
import { makeMetricsConsumer } from "../observability/MetricsConsumer.js"
import { type RunningServer, startServer } from "./Server.js"
import { describeStartupFailure } from "./StartupFailure.js"

export type Environment = Record<string, string | undefined>

export type StartResult =
  | {
      readonly _tag: "Started"
      readonly config: HttpConfig
      readonly mode: EngineMode
      readonly app: App<ApiServices, unknown>
      readonly server: RunningServer
    }
  /** One line per bad variable, or per failure of a layer at start-up. */
  | { readonly _tag: "Failed"; readonly heading: string; readonly lines: ReadonlyArray<string> }

export interface StartOptions {
  readonly logSink?: LogSink
  /** The simulated card gateway's behaviour (tests pin it; the default declines 10%). */
  readonly gateway?: GatewaySimulation
  /** Tests use cheaper scrypt parameters. */
  readonly passwordHasher?: Layer.Layer<PasswordHasher>
  readonly jobs?: JobSettings
  readonly retention?: RetentionSettings
}

const providerOf = (env: Environment) =>
  ConfigProvider.fromMap(new Map(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)))

const loadConfig = async (env: Environment) => {
  const [http, mode] = await Effect.runPromise(
    Effect.all([loadHttpConfig(env), Effect.either(loadEngineMode).pipe(Effect.withConfigProvider(providerOf(env)))]),
  )
  const lines = [
    ...(Either.isLeft(http) ? http.left : []),
    ...(Either.isLeft(mode) ? describeStartupFailure(Cause.fail(mode.left)) : []),
  ]
  if (Either.isRight(http) && Either.isRight(mode)) return Either.right({ config: http.right, mode: mode.right })
  return Either.left(lines)
}

/**
 * What `npm start` does: validate the configuration, choose the engines (memory by default,
 * MySQL with `MYSQL_URL`, Redis in the hot paths with `REDIS_URL` as well), build them
 * (migrations included), start the periodic jobs, seed demo data, print a generated admin
 * key once, and listen. Every variable, the layers' own included, is read from `env`.
 */
export const startEmbedded = async (env: Environment, options: StartOptions = {}): Promise<StartResult> => {
  const loaded = await loadConfig(env)
  if (Either.isLeft(loaded)) return { _tag: "Failed", heading: "Invalid configuration", lines: loaded.left }
  const { config, mode } = loaded.right

  const metrics = makeHttpMetrics()
  const consumers = [makeMetricsConsumer(metrics)]
  const probes = makeEngineProbes(mode === "memory" ? [] : mode === "mysql" ? ["mysql"] : ["mysql", "redis"])
  const jobs = makeEmbeddedJobs(options.jobs ?? defaultJobSettings)
  const retention = options.retention ?? (mode === "memory" ? memoryRetentionSettings : defaultRetentionSettings)
  const engineOptions = {
    consumers,
    ...(options.gateway ? { gateway: options.gateway } : {}),
    ...(options.passwordHasher ? { passwordHasher: options.passwordHasher } : {}),
  }

  const engines: Layer.Layer<ApiServices | IdempotencyStore, unknown> =
    mode === "memory"
      ? (() => {
          const embedded = makeEmbeddedLayer(engineOptions)
          return Layer.mergeAll(
            embedded,
            jobs.pipe(Layer.provide(embedded)),
            makeMemoryRetentionJobs(retention).pipe(Layer.provide(embedded)),
          )
        })()
      : (() => {
          const durable = makeMysqlLayer({ ...engineOptions, redis: mode === "mysql+redis", probes })
          return Layer.mergeAll(
            durable,
            jobs.pipe(Layer.provide(durable)),
            makeMysqlRetentionJobs(retention).pipe(Layer.provide(durable)),
          )
        })()
  const layer = engines.pipe(Layer.provide(Layer.setConfigProvider(providerOf(env))))
  const app = makeApp({
    layer,
    config,
    metrics,
    readiness: probes.checks,
    ...(options.logSink ? { logSink: options.logSink } : {}),
  })

  const built = await Effect.runPromiseExit(app.runtime.runtimeEffect)
  if (Exit.isFailure(built)) {
    await app.dispose()
    return { _tag: "Failed", heading: "Start-up failed", lines: describeStartupFailure(built.cause) }
  }
  app.write(LogLevel.Info, "engines ready", { mode })
  if (config.seedDemoData) {
    const seeded = await app.runtime.runPromiseExit(
      mode === "memory"
        ? Effect.map(seedDemoData, (counts): Record<string, unknown> => ({ seeded: true, ...counts }))
        : Effect.map(seedDemoDataIfEmpty, (result): Record<string, unknown> => result),
    )
    if (Exit.isFailure(seeded)) {
      await app.dispose()
      return { _tag: "Failed", heading: "Seeding demo data failed", lines: describeStartupFailure(seeded.cause) }
    }
    app.write(
      LogLevel.Info,
      seeded.value.seeded === true ? "demo data seeded" : "demo data kept: the catalog is not empty",
      seeded.value,
    )
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
  const server = await startServer(app, { host: config.host, port: config.port }).catch(async (error: unknown) => {
    await app.dispose()
    return { failed: error instanceof Error ? error.message : String(error) }
  })
  if ("failed" in server) return { _tag: "Failed", heading: "Cannot listen", lines: [server.failed] }
  app.write(LogLevel.Info, "listening", {
    url: server.url,
    mode,
    authMode: config.authMode,
    docs: `${server.url}/docs`,
  })
  return { _tag: "Started", config, mode, app, server }
}

/** The same start, under the name that says what it does now that it chooses engines. */
export const startFromEnvironment = startEmbedded
