import { randomBytes } from "node:crypto"
import { Config, type ConfigError, ConfigProvider, Effect, Either, LogLevel, Option, Redacted } from "effect"

export type AuthMode = "token" | "gateway"

/** Everything the HTTP layer reads from the environment, validated once at start-up. */
export interface HttpConfig {
  readonly host: string
  readonly port: number
  readonly authMode: AuthMode
  readonly authSecret: Redacted.Redacted<string>
  /** True when the secret was generated because AUTH_SECRET is unset (tokens die with the process). */
  readonly authSecretGenerated: boolean
  readonly tokenTtlSeconds: number
  readonly adminKey: Redacted.Redacted<string>
  /** True when the admin key was generated because ADMIN_KEY is unset; it is printed once. */
  readonly adminKeyGenerated: boolean
  readonly logLevel: LogLevel.LogLevel
  readonly idempotencyRetainSeconds: number
  readonly idempotencyLeaseSeconds: number
  readonly shutdownTimeoutMillis: number
  readonly seedDemoData: boolean
}

const intIn = (name: string, min: number, max: number, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({
      message: `must be an integer between ${min} and ${max}`,
      validation: (n) => n >= min && n <= max,
    }),
    Config.withDefault(fallback),
  )

const secret = (name: string, minLength: number) =>
  Config.option(
    Config.redacted(name).pipe(
      Config.validate({
        // an optional config loses its path on a failed validation, so the name is part of the message
        message: `${name}: must be at least ${minLength} characters`,
        validation: (value) => Redacted.value(value).length >= minLength,
      }),
    ),
  )

const generated = () => Redacted.make(randomBytes(32).toString("base64url"))

/** The port the server listens on when PORT is unset. */
export const DEFAULT_PORT = 8080

const fields = Config.all({
  host: Config.string("HOST").pipe(Config.withDefault("0.0.0.0")),
  port: intIn("PORT", 0, 65_535, DEFAULT_PORT),
  authMode: Config.literal("token", "gateway")("AUTH_MODE").pipe(Config.withDefault("token" as const)),
  authSecret: secret("AUTH_SECRET", 32),
  tokenTtlSeconds: intIn("TOKEN_TTL_SECONDS", 60, 30 * 24 * 3600, 3600),
  adminKey: secret("ADMIN_KEY", 16),
  logLevel: Config.logLevel("LOG_LEVEL").pipe(Config.withDefault(LogLevel.Info)),
  idempotencyRetainSeconds: intIn("IDEMPOTENCY_RETAIN_SECONDS", 1, 7 * 24 * 3600, 24 * 3600),
  idempotencyLeaseSeconds: intIn("IDEMPOTENCY_LEASE_SECONDS", 1, 3600, 60),
  shutdownTimeoutMillis: intIn("SHUTDOWN_TIMEOUT_MS", 0, 600_000, 10_000),
  seedDemoData: Config.boolean("SEED_DEMO_DATA").pipe(Config.withDefault(true)),
})

/** Reads and validates the configuration; a missing secret is replaced by a random one. */
export const HttpConfigFromEnv: Effect.Effect<HttpConfig, ConfigError.ConfigError> = Effect.map(
  fields,
  ({ authSecret, adminKey, ...rest }) => ({
    ...rest,
    authSecret: Option.getOrElse(authSecret, generated),
    authSecretGenerated: Option.isNone(authSecret),
    adminKey: Option.getOrElse(adminKey, generated),
    adminKeyGenerated: Option.isNone(adminKey),
  }),
)

/** Builds a configuration for tests and embedding, with the same defaults as the environment. */
export const makeHttpConfig = (overrides: Partial<HttpConfig> = {}): HttpConfig => ({
  host: "127.0.0.1",
  port: 0,
  authMode: "token",
  authSecret: generated(),
  authSecretGenerated: true,
  tokenTtlSeconds: 3600,
  adminKey: generated(),
  adminKeyGenerated: true,
  logLevel: LogLevel.Info,
  idempotencyRetainSeconds: 24 * 3600,
  idempotencyLeaseSeconds: 60,
  shutdownTimeoutMillis: 10_000,
  seedDemoData: false,
  ...overrides,
})

/** One line per bad variable: `PORT: Expected a network port ...`. */
export const describeConfigError = (error: ConfigError.ConfigError): Array<string> => {
  const lines: Array<string> = []
  const walk = (e: ConfigError.ConfigError): void => {
    switch (e._op) {
      case "And":
      case "Or":
        walk(e.left)
        walk(e.right)
        return
      case "InvalidData":
      case "MissingData":
      case "SourceUnavailable":
      case "Unsupported":
        lines.push(e.path.length === 0 ? e.message : `${e.path.join(".")}: ${e.message}`)
        return
    }
  }
  walk(error)
  return Array.from(new Set(lines))
}

/** Runs the configuration against a given environment map (tests, CLI). */
export const loadHttpConfig = (env: Record<string, string | undefined>) =>
  Effect.either(HttpConfigFromEnv).pipe(
    Effect.withConfigProvider(
      ConfigProvider.fromMap(
        new Map(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined)),
      ),
    ),
    Effect.map(Either.mapLeft(describeConfigError)),
  )
