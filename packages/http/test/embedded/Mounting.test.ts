import type { AddressInfo } from "node:net"
import { serve } from "@hono/node-server"
import { Hono } from "hono"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeApp } from "../../src/app/makeApp.js"
import { makeHttpConfig } from "../../src/config/HttpConfig.js"
import { seedDemoData } from "../../src/embedded/DemoData.js"
import { makeEmbeddedLayer } from "../../src/embedded/EmbeddedLayer.js"
import { expectFailure, expectSuccess, makeClient } from "../support/Http.js"

// Another service builds the API from the factory and serves it inside its own Hono app.
const app = makeApp({ layer: makeEmbeddedLayer(), config: makeHttpConfig(), defaultMetrics: false, logSink: () => {} })
const parent = new Hono()
parent.get("/hello", (c) => c.text("from the host service"))
parent.route("/shop", app.hono)
let server: ReturnType<typeof serve>
let client: ReturnType<typeof makeClient>

beforeAll(async () => {
  await app.runtime.runPromise(seedDemoData)
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: parent.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => resolve(info.port))
  })
  client = makeClient(`http://127.0.0.1:${port}`)
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await app.dispose()
})

describe("mounting the app in another Hono app", () => {
  it("serves the API under the host's prefix next to the host's own routes", async () => {
    expect((await client.get("/hello")).body).toBe("from the host service")
    const products = expectSuccess(await client.get("/shop/api/v1/products?size=2"))
    expect(products.totalElements).toBe(50)
    expectFailure(await client.get("/shop/api/v1/products/abc"), 400, "BAD_REQUEST")
    expectFailure(await client.get("/shop/api/v1/users/me"), 401, "UNAUTHORIZED")
    expect((await client.get("/shop/health")).body).toEqual({ status: "UP" })
  })
})
