import { PersistenceUnavailable } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import * as MysqlClient from "@effect/sql-mysql2/MysqlClient"
import { Config, ConfigError, Context, Either, Layer, Redacted } from "effect"
import { leanStatements } from "./internal/LeanStatements.js"

/** Where the database is and how many connections one process may hold. */
export interface MysqlConnectionOptions {
  readonly host: string
  readonly port: number
  readonly database: string
  readonly user: string
  readonly password: Redacted.Redacted<string> | undefined
  readonly poolSize: number
  /**
   * A Unix socket to connect through instead of TCP (host and port are then unused): on the
   * database's own machine it is the cheaper way in.
   */
  readonly socketPath?: string | undefined
  /**
   * Run every statement in @effect/sql's tracing span (`sql.execute`), for a deployment that
   * exports traces. Off by default: the span and scope cost more CPU than the driver call
   * (see LeanStatements).
   */
  readonly statementSpans?: boolean | undefined
}

export const defaultPoolSize = 20

/**
 * Parses `mysql://user:password@host:port/database` (also `mariadb://`), with one optional
 * parameter: `?socket=/run/mysqld/mysqld.sock`, a Unix socket to connect through instead of TCP.
 */
export const parseMysqlUrl = (
  url: string,
  poolSize: number = defaultPoolSize,
): Either.Either<MysqlConnectionOptions, string> => {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return Either.left("is not a URL")
  }
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mariadb:") {
    return Either.left(`must start with mysql:// or mariadb://, got ${parsed.protocol}//`)
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""))
  if (database === "" || database.includes("/")) return Either.left("must name one database in its path")
  const port = parsed.port === "" ? 3306 : Number(parsed.port)
  for (const name of parsed.searchParams.keys()) {
    if (name !== "socket") return Either.left(`has an unknown parameter "${name}" (the one supported is socket)`)
  }
  const socketPath = parsed.searchParams.get("socket") ?? undefined
  if (socketPath !== undefined && !socketPath.startsWith("/")) {
    return Either.left("socket must be an absolute path, like ?socket=/run/mysqld/mysqld.sock")
  }
  return Either.right({
    host: parsed.hostname === "" ? "127.0.0.1" : parsed.hostname,
    port,
    database,
    user: parsed.username === "" ? "root" : decodeURIComponent(parsed.username),
    password: parsed.password === "" ? undefined : Redacted.make(decodeURIComponent(parsed.password)),
    poolSize,
    ...(socketPath === undefined ? {} : { socketPath }),
  })
}

/**
 * `MYSQL_URL` (required), `MYSQL_POOL_SIZE` (default 20, at least 2: migrating holds one
 * connection for its lock while the migrator runs on another) and `MYSQL_STATEMENT_SPANS`
 * (default false).
 */
export const MysqlConfig: Config.Config<MysqlConnectionOptions> = Config.all({
  url: Config.redacted("MYSQL_URL"),
  poolSize: Config.integer("MYSQL_POOL_SIZE").pipe(
    Config.withDefault(defaultPoolSize),
    Config.validate({ message: "must be between 2 and 1000", validation: (n) => n >= 2 && n <= 1000 }),
  ),
  statementSpans: Config.boolean("MYSQL_STATEMENT_SPANS").pipe(Config.withDefault(false)),
}).pipe(
  Config.mapOrFail(({ url, poolSize, statementSpans }) =>
    Either.map(
      Either.mapLeft(parseMysqlUrl(Redacted.value(url), poolSize), (reason) =>
        ConfigError.InvalidData(["MYSQL_URL"], `MYSQL_URL ${reason}`),
      ),
      (options) => ({ ...options, statementSpans }),
    ),
  ),
)

const causeOf = (error: object): string => {
  const cause = (error as { readonly cause?: { readonly code?: unknown; readonly message?: unknown } }).cause
  const detail = typeof cause?.code === "string" ? cause.code : typeof cause?.message === "string" ? cause.message : ""
  return detail === "" ? "" : ` (${detail})`
}

const addressOf = (options: MysqlConnectionOptions) =>
  options.socketPath === undefined ? `${options.host}:${options.port}` : `socket ${options.socketPath}`

/** The client under both of its tags, with lean statements (see LeanStatements). */
const withLeanStatements = (context: Context.Context<MysqlClient.MysqlClient | SqlClient>) => {
  const lean = leanStatements(Context.get(context, MysqlClient.MysqlClient)) as MysqlClient.MysqlClient
  return Context.make(MysqlClient.MysqlClient, lean).pipe(Context.add(SqlClient, lean))
}

/**
 * A pooled client. Times are exchanged in UTC (`timezone: "Z"`), so DATETIME columns hold UTC
 * whatever the server's or the process's zone. Failing to connect is PersistenceUnavailable.
 * Statements run without a span each unless `statementSpans` is set.
 */
export const mysqlClientLayer = (
  options: MysqlConnectionOptions,
): Layer.Layer<MysqlClient.MysqlClient | SqlClient, PersistenceUnavailable> =>
  MysqlClient.layer({
    host: options.host,
    port: options.port,
    database: options.database,
    username: options.user,
    password: options.password,
    maxConnections: options.poolSize,
    poolConfig: {
      timezone: "Z",
      maxIdle: options.poolSize,
      idleTimeout: 60_000,
      enableKeepAlive: true,
      connectTimeout: 5_000,
      ...(options.socketPath === undefined ? {} : { socketPath: options.socketPath }),
    },
  }).pipe(
    Layer.catchAll((error) =>
      Layer.fail(
        new PersistenceUnavailable({
          reason: `cannot connect to MySQL at ${addressOf(options)}/${options.database}: ${error.message}${causeOf(error)}`,
        }),
      ),
    ),
    (client) => (options.statementSpans === true ? client : Layer.map(client, withLeanStatements)),
  )

/** The client configured from the environment (`MYSQL_URL`, `MYSQL_POOL_SIZE`, `MYSQL_STATEMENT_SPANS`). */
export const MysqlClientLive: Layer.Layer<
  MysqlClient.MysqlClient | SqlClient,
  ConfigError.ConfigError | PersistenceUnavailable
> = Layer.unwrapEffect(Config.map(MysqlConfig, mysqlClientLayer))
