import { Cause, Chunk, ConfigError, Effect, Either, Exit, Layer, LogLevel, Redacted } from "effect"
import { makeApp } from "./app/makeApp.js"
import { describeConfigError, loadHttpConfig } from "./config/HttpConfig.js"
import { seedDemoData } from "./embedded/DemoData.js"
import { makeEmbeddedLayer } from "./embedded/EmbeddedLayer.js"
import { EmbeddedJobs } from "./embedded/Jobs.js"
import { makeHttpMetrics } from "./observability/HttpMetrics.js"
import { makeMetricsConsumer } from "./observability/MetricsConsumer.js"
import { startServer } from "./server/Server.js"

const loaded = await Effect.runPromise(loadHttpConfig(process.env))
if (Either.isLeft(loaded)) {
  process.stderr.write(`Invalid configuration:\n${loaded.left.map((line) => `  ${line}\n`).join("")}`)
  process.exit(1)
}
const config = loaded.right

const metrics = makeHttpMetrics()
const embedded = makeEmbeddedLayer({ consumers: [makeMetricsConsumer(metrics)] })
const app = makeApp({ layer: Layer.merge(embedded, EmbeddedJobs.pipe(Layer.provide(embedded))), config, metrics })

// Layers read configuration of their own (point policy, ...): report their bad variables alike.
const built = await Effect.runPromiseExit(app.runtime.runtimeEffect)
if (Exit.isFailure(built)) {
  const failures = Chunk.toArray(Cause.failures(built.cause))
  const lines = failures.flatMap((e) => (ConfigError.isConfigError(e) ? describeConfigError(e) : [String(e)]))
  const report = lines.length > 0 ? Array.from(new Set(lines)) : [Cause.pretty(built.cause)]
  process.stderr.write(`Start-up failed:\n${report.map((line) => `  ${line}\n`).join("")}`)
  process.exit(1)
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
  app.write(LogLevel.Warning, "AUTH_SECRET is not set; tokens are signed with a random secret and die with the process")
}

const server = await startServer(app, { host: config.host, port: config.port })
app.write(LogLevel.Info, "listening", { url: server.url, authMode: config.authMode, docs: `${server.url}/docs` })

let stopping = false
const stop = (signal: string) => {
  if (stopping) return
  stopping = true
  app.write(LogLevel.Info, "shutting down", { signal })
  server.close(config.shutdownTimeoutMillis).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`Shutdown failed: ${String(error)}\n`)
      process.exit(1)
    },
  )
}
process.on("SIGTERM", () => stop("SIGTERM"))
process.on("SIGINT", () => stop("SIGINT"))
