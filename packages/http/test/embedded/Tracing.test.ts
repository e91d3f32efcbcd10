import { FiberRef } from "effect"
import { describe, expect, it } from "vitest"
import { makeApp } from "../../src/app/makeApp.js"
import { makeHttpConfig } from "../../src/config/HttpConfig.js"
import { makeEmbeddedLayer } from "../../src/embedded/EmbeddedLayer.js"

const appWith = (tracing?: boolean) =>
  makeApp({
    layer: makeEmbeddedLayer(),
    config: makeHttpConfig(),
    defaultMetrics: false,
    logSink: () => {},
    ...(tracing === undefined ? {} : { tracing }),
  })

const tracerEnabled = async (app: ReturnType<typeof appWith>) => {
  try {
    return await app.runtime.runPromise(FiberRef.get(FiberRef.currentTracerEnabled))
  } finally {
    await app.dispose()
  }
}

describe("tracing", () => {
  it("is off by default: nothing exports spans, and each one costs", async () => {
    expect(await tracerEnabled(appWith())).toBe(false)
  })
  it("is on when asked for", async () => {
    expect(await tracerEnabled(appWith(true))).toBe(true)
  })
})
