import type { AddressInfo } from "node:net"
import { serve } from "@hono/node-server"
import { LogLevel } from "effect"
import type { App } from "../app/AppBuilder.js"

export interface RunningServer {
  readonly port: number
  readonly url: string
  /** Stops accepting, lets requests in flight finish (up to the timeout), then releases the runtime. */
  readonly close: (timeoutMillis?: number) => Promise<void>
}

/** Serves an app on host:port (port 0 picks a free one); resolves once it listens. */
export const startServer = <R, E>(
  app: App<R, E>,
  options: { readonly host: string; readonly port: number },
): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const server = serve({ fetch: app.hono.fetch, hostname: options.host, port: options.port }, (info: AddressInfo) => {
      const host = info.family === "IPv6" ? `[${info.address}]` : info.address
      let closing: Promise<void> | undefined
      resolve({
        port: info.port,
        url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${info.port}`,
        close: (timeoutMillis = 10_000) => {
          closing ??= (async () => {
            app.drain()
            await new Promise<void>((done) => {
              const timer = setTimeout(() => {
                app.write(LogLevel.Warning, "shutdown timeout: closing open connections")
                if ("closeAllConnections" in server) server.closeAllConnections()
              }, timeoutMillis)
              // keep-alive connections become idle once their last response is written; close them as they do
              const sweep = setInterval(() => {
                if ("closeIdleConnections" in server) server.closeIdleConnections()
              }, 50)
              server.close(() => {
                clearTimeout(timer)
                clearInterval(sweep)
                done()
              })
              if ("closeIdleConnections" in server) server.closeIdleConnections()
            })
            await app.dispose()
          })()
          return closing
        },
      })
    })
    server.once("error", reject)
  })
