import { createHash } from "node:crypto"
import { PersistenceUnavailable } from "@commerce-core/domain"
import { Config, ConfigError, Context, Effect, Either, Layer, Redacted, Runtime } from "effect"
import { type ChainableCommander, Redis, type RedisOptions } from "ioredis"

export const DEFAULT_KEY_PREFIX = "commerce:"

export interface RedisConnectionOptions {
  readonly url: Redacted.Redacted<string> | string
  /** Prepended to every key this package writes, so several deployments can share one Redis. */
  readonly keyPrefix?: string | undefined
  /** A command that gets no reply within this time fails (PersistenceUnavailable). Default 2000 ms. */
  readonly commandTimeoutMillis?: number | undefined
}

/** A Lua script with its SHA1, run by EVALSHA and loaded on NOSCRIPT. */
export interface RedisScript {
  readonly lua: string
  readonly sha: string
}

export const redisScript = (lua: string): RedisScript => ({ lua, sha: createHash("sha1").update(lua).digest("hex") })

/**
 * The package's connection and key space. The ioredis client never leaves the package:
 * adapters reach it only through `run`/`script`, which turn every driver error into
 * PersistenceUnavailable.
 */
export interface RedisConnection {
  readonly prefix: string
  readonly key: (...parts: ReadonlyArray<string | number>) => string
  readonly run: <A>(label: string, f: (client: Redis) => Promise<A>) => Effect.Effect<A, PersistenceUnavailable>
  /** MULTI/EXEC of the commands `build` queues; the replies in order, or the first error. */
  readonly transaction: (
    label: string,
    build: (tx: ChainableCommander) => ChainableCommander,
  ) => Effect.Effect<ReadonlyArray<unknown>, PersistenceUnavailable>
  readonly script: (
    script: RedisScript,
    keys: ReadonlyArray<string>,
    args: ReadonlyArray<string | number>,
  ) => Effect.Effect<unknown, PersistenceUnavailable>
}

export class RedisClient extends Context.Tag("@commerce-core/adapters-redis/RedisClient")<
  RedisClient,
  RedisConnection
>() {}

const messageOf = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

const unavailable = (label: string) => (cause: unknown) =>
  new PersistenceUnavailable({
    reason: `redis ${label}: ${messageOf(cause)}`,
  })

const evalScript = (
  client: Redis,
  script: RedisScript,
  keys: ReadonlyArray<string>,
  args: ReadonlyArray<string | number>,
) =>
  client.evalsha(script.sha, keys.length, ...keys, ...args).catch((error: unknown) => {
    if (error instanceof Error && error.message.startsWith("NOSCRIPT")) {
      return client.eval(script.lua, keys.length, ...keys, ...args)
    }
    throw error
  })

/** Wraps an open client in the package's connection interface, with keys under `prefix`. */
export const makeRedisConnection = (client: Redis, prefix: string): RedisConnection => {
  const run = <A>(label: string, f: (client: Redis) => Promise<A>) =>
    Effect.tryPromise({ try: () => f(client), catch: unavailable(label) })
  return {
    prefix,
    key: (...parts) => prefix + parts.join(":"),
    run,
    transaction: (label, build) =>
      run(label, async (c) => {
        const replies = await build(c.multi()).exec()
        if (replies === null) throw new Error("transaction aborted")
        return replies.map(([error, reply]) => {
          if (error) throw error
          return reply
        })
      }),
    script: (script, keys, args) => run("script", (c) => evalScript(c, script, keys, args)),
  }
}

const clientOptions = (options: RedisConnectionOptions): RedisOptions => ({
  // Fail fast instead of queueing commands forever while Redis is down.
  maxRetriesPerRequest: 1,
  commandTimeout: options.commandTimeoutMillis ?? 2_000,
  connectTimeout: 2_000,
  lazyConnect: true,
  // Commands issued in the same tick share one socket write: under load that is one syscall
  // for dozens of requests instead of one each, the largest cost of a cache hit otherwise.
  enableAutoPipelining: true,
})

const urlOf = (url: RedisConnectionOptions["url"]) => (typeof url === "string" ? url : Redacted.value(url))

/**
 * ioredis prints a stack trace to stderr for every `error` event nobody listens to: at a
 * failed start and at every reconnect attempt while Redis is down. Commands already fail
 * with PersistenceUnavailable, so the listener only logs one warning per outage (the first
 * error after the connection was ready); errors before the first `ready` are the connect
 * failure, which `acquireRedis` reports itself. Returns the last error seen, for that report.
 */
const watchErrors = (client: Redis, address: string, warn: (message: string) => void) => {
  let lastError: unknown
  let wasReady = false
  let warned = false
  client.on("error", (error: unknown) => {
    lastError = error
    if (wasReady && !warned) {
      warned = true
      warn(`redis at ${address} unavailable, reconnecting: ${messageOf(error)}`)
    }
  })
  client.on("ready", () => {
    wasReady = true
    warned = false
  })
  return () => lastError
}

/**
 * Opens a connection (failing with PersistenceUnavailable naming the address when Redis
 * cannot be reached) and quits it on release. Outages later on are logged as one warning each.
 */
export const acquireRedis = (options: RedisConnectionOptions) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const runtime = yield* Effect.runtime<never>()
      const warn = (message: string) => Runtime.runFork(runtime)(Effect.logWarning(message))
      const client = new Redis(urlOf(options.url), clientOptions(options))
      const address = `${client.options.host}:${client.options.port}`
      const lastError = watchErrors(client, address, warn)
      return yield* Effect.tryPromise({
        try: async () => {
          try {
            await client.connect()
          } catch (error) {
            client.disconnect()
            throw lastError() ?? error
          }
          return client
        },
        catch: (cause) => new PersistenceUnavailable({ reason: `redis connect to ${address}: ${messageOf(cause)}` }),
      })
    }),
    (client) => Effect.promise(() => client.quit().catch(() => client.disconnect())),
  )

/** A scoped RedisClient layer: one connection, quit when the layer's scope closes. */
export const RedisClientLayer = (options: RedisConnectionOptions): Layer.Layer<RedisClient, PersistenceUnavailable> =>
  Layer.scoped(
    RedisClient,
    Effect.map(acquireRedis(options), (client) => makeRedisConnection(client, options.keyPrefix ?? DEFAULT_KEY_PREFIX)),
  )

/** `REDIS_URL` (required) and `REDIS_KEY_PREFIX` (default "commerce:"). */
export const RedisConfig: Config.Config<RedisConnectionOptions> = Config.all({
  url: Config.redacted("REDIS_URL"),
  keyPrefix: Config.string("REDIS_KEY_PREFIX").pipe(Config.withDefault(DEFAULT_KEY_PREFIX)),
}).pipe(
  Config.mapOrFail(({ url, keyPrefix }) => {
    if (!/^rediss?:\/\//.test(Redacted.value(url))) {
      return Either.left(ConfigError.InvalidData(["REDIS_URL"], "REDIS_URL must start with redis:// or rediss://"))
    }
    if (keyPrefix.length > 200) {
      return Either.left(
        ConfigError.InvalidData(["REDIS_KEY_PREFIX"], "REDIS_KEY_PREFIX must be at most 200 characters"),
      )
    }
    return Either.right({ url, keyPrefix })
  }),
)

/** The RedisClient configured from the environment (`REDIS_URL`, `REDIS_KEY_PREFIX`). */
export const RedisClientLive: Layer.Layer<RedisClient, PersistenceUnavailable | ConfigError.ConfigError> =
  Layer.unwrapEffect(Config.map(RedisConfig, RedisClientLayer))
