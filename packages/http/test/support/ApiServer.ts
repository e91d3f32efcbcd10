import { PasswordHasherScryptWith } from "@commerce-core/adapters-memory"
import type { EventConsumer } from "@commerce-core/domain"
import { Duration, Redacted } from "effect"
import { expect } from "vitest"
import { makeApp } from "../../src/app/makeApp.js"
import { type HttpConfig, makeHttpConfig } from "../../src/config/HttpConfig.js"
import { makeEmbeddedLayer } from "../../src/embedded/EmbeddedLayer.js"
import { makeHttpMetrics } from "../../src/observability/HttpMetrics.js"
import { makeMetricsConsumer } from "../../src/observability/MetricsConsumer.js"
import { startServer } from "../../src/server/Server.js"
import { type Client, expectSuccess, makeClient } from "./Http.js"

export interface ApiServerOptions {
  readonly config?: Partial<HttpConfig>
  readonly declineRatio?: number
  readonly lostCallbackRatio?: number
  /** Extra consumers of the event pipeline, to observe events. */
  readonly consumers?: ReadonlyArray<EventConsumer>
}

/** The whole API on the embedded default, on a random port, with captured logs. */
export const startApiServer = async (options: ApiServerOptions = {}) => {
  const config = makeHttpConfig(options.config)
  const metrics = makeHttpMetrics({ defaultMetrics: false })
  const embedded = makeEmbeddedLayer({
    consumers: [makeMetricsConsumer(metrics), ...(options.consumers ?? [])],
    gateway: {
      seed: 7,
      latency: Duration.millis(30),
      requestFailureRatio: 0,
      declineRatio: options.declineRatio ?? 0,
      lostCallbackRatio: options.lostCallbackRatio ?? 0,
    },
    // cheap scrypt parameters keep sign-ups fast; the hasher has tests of its own
    passwordHasher: PasswordHasherScryptWith({ logN: 10, r: 8, p: 1 }),
  })
  const logs: Array<Record<string, unknown>> = []
  const app = makeApp({
    layer: embedded,
    config,
    metrics,
    logSink: (line) => logs.push(JSON.parse(line)),
  })
  const server = await startServer(app, { host: "127.0.0.1", port: 0 })
  const client = makeClient(server.url)
  const adminKey = Redacted.value(config.adminKey)
  return {
    app,
    server,
    config,
    client,
    logs,
    admin: { "x-admin-key": adminKey },
    ...makeActors(client, config, adminKey),
  }
}

export type ApiServer = Awaited<ReturnType<typeof startApiServer>>

let sequence = 0
/** A fresh login id (1 to 10 letters or digits). */
export const freshLoginId = () => `u${(Date.now() % 1_000_000).toString(36)}${(sequence++).toString(36)}`.slice(0, 10)

/** Credentials of a signed-up user as request options. */
export interface Actor {
  readonly loginId: string
  readonly id: number
  readonly headers: Record<string, string>
}

/** Sign-up, catalog and point helpers over a running server's client. */
export const makeActors = (client: Client, config: HttpConfig, adminKey: string) => {
  const admin = { "x-admin-key": adminKey }
  const signUp = async (loginId = freshLoginId()): Promise<Actor> => {
    const body = {
      userId: loginId,
      email: `${loginId}@example.com`,
      gender: "FEMALE",
      birthDate: "1990-05-17",
      ...(config.authMode === "token" ? { password: "password-123" } : {}),
    }
    const user = expectSuccess(await client.post("/api/v1/users", { body }), 201)
    if (config.authMode === "gateway") return { loginId, id: user.id, headers: { "x-user-id": loginId } }
    const login = expectSuccess(
      await client.post("/api/v1/auth/login", { body: { userId: loginId, password: "password-123" } }),
    )
    return { loginId, id: user.id, headers: { authorization: `Bearer ${login.accessToken}` } }
  }
  const createBrand = async (name = "Brand") =>
    expectSuccess(await client.post("/api/admin/v1/brands", { body: { name, description: "d" }, headers: admin }), 201)
  const createProduct = async (fields: {
    brandId: number
    price?: number
    stock?: number
    max?: number
    name?: string
  }) =>
    expectSuccess(
      await client.post("/api/admin/v1/products", {
        headers: admin,
        body: {
          brandId: fields.brandId,
          name: fields.name ?? "Product",
          description: "desc",
          price: fields.price ?? 10_000,
          stock: fields.stock ?? 100,
          maxOrderQuantity: fields.max ?? 10,
        },
      }),
      201,
    )
  const createCoupon = async (fields: Record<string, unknown> = {}) =>
    expectSuccess(
      await client.post("/api/admin/v1/coupons", {
        headers: admin,
        body: {
          name: "Coupon",
          type: "FIXED",
          value: 3_000,
          issueStartsAt: new Date(Date.now() - 60_000).toISOString(),
          issueEndsAt: new Date(Date.now() + 3_600_000).toISOString(),
          validDays: 7,
          ...fields,
        },
      }),
      201,
    )
  const charge = async (actor: Actor, reqPoint: number) =>
    expectSuccess(await client.post("/api/v1/points/charge", { headers: actor.headers, body: { reqPoint } }))
  const balance = async (actor: Actor) =>
    expectSuccess(await client.get("/api/v1/points", { headers: actor.headers })).totalPoint as number
  const product = async (id: number) => expectSuccess(await client.get(`/api/v1/products/${id}`))
  return { signUp, createBrand, createProduct, createCoupon, charge, balance, product }
}

/** Polls until `check` passes (events reach consumers asynchronously). */
export const eventually = async (check: () => Promise<void>, timeoutMillis = 10_000) => {
  const deadline = Date.now() + timeoutMillis
  for (;;) {
    try {
      await check()
      return
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

export { expect }
