import type { IdempotencyStore } from "@commerce-core/domain"
import type { Layer } from "effect"
import type { HttpConfig } from "../config/HttpConfig.js"
import type { HttpMetrics } from "../observability/HttpMetrics.js"
import type { LogSink } from "../observability/JsonLogger.js"
import { resolveGatewayUser } from "../routes/UserRoutes.js"
import { type ApiServices, apiRoutes } from "./ApiRoutes.js"
import { type App, buildApp, type ReadinessCheck } from "./AppBuilder.js"

export interface MakeAppOptions<E> {
  /** The domain services (and an IdempotencyStore) on whatever adapters: memory, MySQL, Redis. */
  readonly layer: Layer.Layer<ApiServices | IdempotencyStore, E>
  readonly config: HttpConfig
  readonly readiness?: ReadonlyArray<ReadinessCheck>
  readonly logSink?: LogSink
  readonly defaultMetrics?: boolean
  /** Share a metrics registry with the layer (e.g. a metrics consumer in its pipeline). */
  readonly metrics?: HttpMetrics
  /** Effect spans; off by default (see AppBuilderOptions.tracing). */
  readonly tracing?: boolean
}

/**
 * The Commerce Core API as a Hono app over the given layers. Serve `app.hono` with
 * `startServer`, or mount it in another Hono app; `dispose` releases the layers.
 */
export const makeApp = <E>(options: MakeAppOptions<E>): App<ApiServices, E> =>
  buildApp({
    ...options,
    routes: apiRoutes,
    resolveGatewayUser,
  })
