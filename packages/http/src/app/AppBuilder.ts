import { randomUUID } from "node:crypto"
import type { IdempotencyStore } from "@commerce-core/domain"
import { swaggerUI } from "@hono/swagger-ui"
import { type Effect, Layer, LogLevel, ManagedRuntime, Option, Redacted } from "effect"
import { type Context, Hono } from "hono"
import { bodyLimit } from "hono/body-limit"
import { makeAdminKeyCheck } from "../auth/AdminKey.js"
import { makeTokenCache } from "../auth/TokenCache.js"
import { bearerToken, verifyToken } from "../auth/Tokens.js"
import type { HttpConfig } from "../config/HttpConfig.js"
import { failure } from "../envelope/Envelope.js"
import { errorResponse } from "../envelope/ErrorStatus.js"
import { type HttpMetrics, makeHttpMetrics } from "../observability/HttpMetrics.js"
import {
  jsonLoggerLayer,
  type LineWriter,
  type LogSink,
  makeLineWriter,
  stdoutSink,
} from "../observability/JsonLogger.js"
import { makeOpenApi } from "../openapi/OpenApi.js"
import { type AppEnv, mountRoute } from "../routing/Mount.js"
import type { AuthUser, Route } from "../routing/Route.js"
import { makeEffectRunner } from "../routing/RunEffect.js"

/** What routes may use besides their services: the configuration and the metrics. */
export interface RouteDeps {
  readonly config: HttpConfig
  readonly metrics: HttpMetrics
}

export interface ReadinessCheck {
  readonly name: string
  /** Resolves true when the dependency answers. */
  readonly check: () => Promise<boolean>
}

export interface AppBuilderOptions<R, E> {
  /** Provides every service the routes use, and the IdempotencyStore. */
  readonly layer: Layer.Layer<R | IdempotencyStore, E>
  readonly routes: (deps: RouteDeps) => ReadonlyArray<Route<R>>
  readonly config: HttpConfig
  /** AUTH_MODE=gateway: the user a trusted `X-USER-ID` login id names. */
  readonly resolveGatewayUser?: (loginId: string) => Effect.Effect<Option.Option<AuthUser>, unknown, R>
  readonly readiness?: ReadonlyArray<ReadinessCheck>
  readonly logSink?: LogSink
  /** Process-wide default metrics (event loop lag, memory); off when several apps share a process. */
  readonly defaultMetrics?: boolean
  /** A registry made beforehand, e.g. shared with a metrics consumer in the layer's pipeline. */
  readonly metrics?: HttpMetrics
  /**
   * Effect spans (every SQL statement opens one). Off by default: nothing here exports them,
   * and each costs a stack capture and a weak-map entry. Turn on with your own Tracer layer.
   */
  readonly tracing?: boolean
}

export interface App<R, E> {
  /** The Hono app: serve it, or mount it inside another (`parent.route("/", app.hono)`). */
  readonly hono: Hono<AppEnv>
  readonly runtime: ManagedRuntime.ManagedRuntime<R | IdempotencyStore, E>
  readonly metrics: HttpMetrics
  readonly openApi: Record<string, unknown>
  readonly write: LineWriter
  /** Marks the app as draining: /ready answers 503 from now on. */
  readonly drain: () => void
  /** Releases the runtime (and with it every resource its layers hold). */
  readonly dispose: () => Promise<void>
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/
const gatewayUnavailable = errorResponse(503, "SERVICE_UNAVAILABLE", "The user store is unavailable")
const MAX_BODY_BYTES = 256 * 1024
const GATEWAY_USER_TTL_MILLIS = 60_000

export const buildApp = <R, E>(options: AppBuilderOptions<R, E>): App<R, E> => {
  const { config } = options
  const write = makeLineWriter(options.logSink ?? stdoutSink, config.logLevel)
  // provided to the layer too, so fibers its layers fork (relay, jobs) run with the same setting
  const tracing = Layer.setTracerEnabled(options.tracing ?? false)
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(options.layer.pipe(Layer.provide(tracing)), jsonLoggerLayer(write, config.logLevel), tracing),
  )
  const runner = makeEffectRunner(runtime)
  const metrics = options.metrics ?? makeHttpMetrics({ defaultMetrics: options.defaultMetrics ?? true })
  const routes = options.routes({ config, metrics })
  const openApi = makeOpenApi(
    {
      title: "Commerce Core API",
      version: "0.1.0",
      description: "Commerce backend: catalog, cart, orders, points, coupons, rankings.",
    },
    routes as ReadonlyArray<Route<unknown>>,
  )
  const isAdmin = makeAdminKeyCheck(config.adminKey)
  const tokenSettings = { secret: config.authSecret, ttlSeconds: config.tokenTtlSeconds }
  const resolveGatewayUser = options.resolveGatewayUser
  const verifiedTokens = makeTokenCache()
  const knownGatewayUsers = makeTokenCache()
  let draining = false

  const authenticate =
    config.authMode === "token"
      ? async (c: { req: { header: (name: string) => string | undefined } }) => {
          const token = bearerToken(c.req.header("authorization"))
          if (token === undefined) return undefined
          const now = Date.now()
          const cached = verifiedTokens.get(token, now)
          if (cached !== undefined) return cached
          const verified = await verifyToken(tokenSettings, token)
          if (verified === undefined) return undefined
          verifiedTokens.set(token, verified.user, verified.expiresAtMillis)
          return verified.user
        }
      : async (c: { req: { header: (name: string) => string | undefined } }) => {
          const loginId = c.req.header("x-user-id")
          if (loginId === undefined || resolveGatewayUser === undefined || !/^[A-Za-z0-9]{1,10}$/.test(loginId)) {
            return undefined
          }
          const now = Date.now()
          const known = knownGatewayUsers.get(loginId, now)
          if (known !== undefined) return known
          const found = await runtime.runPromiseExit(resolveGatewayUser(loginId))
          // a store that cannot answer is an outage (503), not a stranger (401)
          if (found._tag === "Failure") return gatewayUnavailable
          // A login id names the same user for as long as it exists, so a found user is kept a
          // while; a stranger is not (they may sign up next).
          if (Option.isSome(found.value))
            knownGatewayUsers.set(loginId, found.value.value, now + GATEWAY_USER_TTL_MILLIS)
          return Option.getOrUndefined(found.value)
        }

  const hono = new Hono<AppEnv>()
  const accessLog = !LogLevel.lessThan(LogLevel.Info, config.logLevel)

  hono.use(async (c, next) => {
    const started = performance.now()
    const presented = c.req.header("x-request-id")
    const requestId = presented !== undefined && REQUEST_ID.test(presented) ? presented : randomUUID()
    c.set("requestId", requestId)
    c.set("route", "unmatched")
    // Set before the response exists: once it does, c.header copies the whole Response, and
    // under @hono/node-server that turns a string body into a stream written chunk by chunk.
    c.header("X-Request-Id", requestId)
    await next()
    // a handler returning a Response of its own loses the prepared headers
    if (!c.res.headers.has("x-request-id")) c.header("X-Request-Id", requestId)
    const seconds = (performance.now() - started) / 1000
    const route = c.get("route")
    metrics.observeRequest(c.req.method, route, c.res.status, seconds)
    if (accessLog) {
      write(LogLevel.Info, "request", {
        requestId,
        method: c.req.method,
        path: c.req.path,
        route,
        status: c.res.status,
        durationMs: Math.round(seconds * 100_000) / 100,
      })
    }
  })

  const tooLarge = (c: Context<AppEnv>) =>
    c.json(failure("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${MAX_BODY_BYTES} bytes`), 413)
  const limitStreamedBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge })
  // Hono's limit reads `c.req.raw.body`, which makes @hono/node-server build a full undici
  // Request (a tenth of a cheap request's CPU). A body with a Content-Length (the HTTP parser
  // holds the sender to it) is judged by the header; only chunked bodies go through the limit.
  hono.use("/api/*", (c, next) => {
    if (c.req.header("transfer-encoding") !== undefined) return limitStreamedBody(c, next)
    const length = c.req.header("content-length")
    return length !== undefined && Number(length) > MAX_BODY_BYTES ? Promise.resolve(tooLarge(c)) : next()
  })

  hono.get("/health", (c) => {
    c.set("route", "/health")
    return c.json({ status: "UP" })
  })
  hono.get("/ready", async (c) => {
    c.set("route", "/ready")
    if (draining) return c.json({ status: "DRAINING", checks: {} }, 503)
    const results = await Promise.all(
      (options.readiness ?? []).map(async ({ name, check }) => [name, await check().catch(() => false)] as const),
    )
    const ok = results.every(([, up]) => up)
    const checks = Object.fromEntries(results.map(([name, up]) => [name, up ? "UP" : "DOWN"]))
    return c.json({ status: ok ? "UP" : "DOWN", checks }, ok ? 200 : 503)
  })
  hono.get("/metrics", async (c) => {
    c.set("route", "/metrics")
    return c.text(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType })
  })
  hono.get("/openapi.json", (c) => {
    c.set("route", "/openapi.json")
    return c.json(openApi)
  })
  hono.use("/docs", async (c, next) => {
    c.set("route", "/docs")
    await next()
  })
  hono.get("/docs", swaggerUI({ url: "/openapi.json", title: "Commerce Core API" }))

  const mountContext = {
    runtime,
    authenticate,
    isAdmin,
    idempotency: {
      leaseMillis: config.idempotencyLeaseSeconds * 1000,
      retainMillis: config.idempotencyRetainSeconds * 1000,
    },
    write,
    run: runner.run,
  }
  for (const route of routes) mountRoute(hono, route, mountContext)

  hono.notFound((c) => c.json(failure("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`), 404))
  hono.onError((error, c) => {
    write(LogLevel.Error, "unhandled error", { requestId: c.get("requestId"), error: String(error) })
    return c.json(failure("INTERNAL_ERROR", "Unexpected error"), 500)
  })

  return {
    hono,
    runtime,
    metrics,
    openApi,
    write,
    drain: () => {
      draining = true
    },
    dispose: () => {
      runner.reset()
      return runtime.dispose()
    },
  }
}

/** The admin key for display: printed once when it was generated. */
export const revealAdminKey = (config: HttpConfig) => Redacted.value(config.adminKey)
