import { createServer, type Server, type Socket } from "node:net"
import { PersistenceUnavailable } from "@commerce-core/domain"
import { Effect, Exit, Logger, Scope } from "effect"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { acquireRedis, makeRedisConnection } from "../src/index.js"

/** Everything written to stderr, by the process or through vitest's console. */
let stderr: Array<string> = []
beforeEach(() => {
  stderr = []
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk))
    return true
  })
  for (const level of ["error", "warn"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: Array<unknown>) => {
      stderr.push(args.map(String).join(" "))
    })
  }
})
afterEach(() => {
  vi.restoreAllMocks()
})

const listen = (server: Server, port = 0) =>
  new Promise<number>((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, "127.0.0.1", () => {
      const address = server.address()
      resolve(typeof address === "object" && address !== null ? address.port : port)
    })
  })

const closedPort = async () => {
  const server = createServer()
  const port = await listen(server)
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * A Redis stand-in that answers INFO (the client's ready check) and PING, so that an outage
 * can be staged by closing it and a recovery by listening again on the same port.
 */
const fakeRedis = () => {
  let server: Server | undefined
  const sockets = new Set<Socket>()
  const reply = (command: string) => {
    if (command === "INFO") {
      const body = "# Server\r\nredis_version:7.0.0\r\nloading:0\r\n"
      return `$${Buffer.byteLength(body)}\r\n${body}\r\n`
    }
    return command === "PING" ? "+PONG\r\n" : "+OK\r\n"
  }
  const start = async (port = 0) => {
    server = createServer((socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
      socket.on("data", (data) => {
        // Every command arrives as `*N $len NAME ...`; the name follows each array header.
        const lines = data.toString().split("\r\n")
        lines.forEach((line, i) => {
          if (line.startsWith("*")) socket.write(reply((lines[i + 2] ?? "").toUpperCase()))
        })
      })
    })
    return listen(server, port)
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      if (server === undefined) resolve()
      else server.close(() => resolve())
    })
  return { start, stop }
}

const until = async (condition: () => boolean, timeoutMillis = 5_000) => {
  const deadline = Date.now() + timeoutMillis
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time")
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe("RedisClient connection", () => {
  it("fails to connect to a closed port with a PersistenceUnavailable naming the address, printing nothing", async () => {
    const port = await closedPort()
    const exit = await Effect.runPromiseExit(Effect.scoped(acquireRedis({ url: `redis://127.0.0.1:${port}` })))
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
      expect(exit.cause.error).toBeInstanceOf(PersistenceUnavailable)
      expect(exit.cause.error.reason).toContain(`127.0.0.1:${port}`)
      expect(exit.cause.error.reason).toMatch(/^redis connect to 127\.0\.0\.1:\d+: /)
    } else {
      expect.fail(`expected a typed failure, got ${String(exit)}`)
    }
    // ioredis would print asynchronously: give it the time of a few reconnect attempts.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(stderr).toEqual([])
  })

  it("logs one warning per outage, not per reconnect attempt, and nothing to stderr", async () => {
    const redis = fakeRedis()
    const port = await redis.start()
    const warnings: Array<string> = []
    const logger = Logger.make(({ logLevel, message }) => {
      if (logLevel._tag === "Warning") warnings.push(String(message))
    })
    const scope = await Effect.runPromise(Scope.make())
    try {
      const client = await Effect.runPromise(
        Scope.extend(acquireRedis({ url: `redis://127.0.0.1:${port}` }), scope).pipe(
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        ),
      )
      const connection = makeRedisConnection(client, "t:")
      expect(await Effect.runPromise(connection.run("ping", (c) => c.ping()))).toBe("PONG")

      await redis.stop()
      await until(() => warnings.length === 1)
      // Reconnect attempts go on every 50, 100, 150 ... ms; none of them adds a warning.
      await new Promise((resolve) => setTimeout(resolve, 800))
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toContain(`127.0.0.1:${port}`)

      await redis.start(port)
      await until(() => client.status === "ready")
      expect(await Effect.runPromise(connection.run("ping", (c) => c.ping()))).toBe("PONG")
      expect(warnings).toHaveLength(1)

      await redis.stop()
      await until(() => warnings.length === 2)
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(warnings).toHaveLength(2)
      expect(stderr).toEqual([])
    } finally {
      await redis.stop()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })
})
