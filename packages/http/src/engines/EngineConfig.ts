import { MysqlConfig } from "@commerce-core/adapters-mysql"
import { RedisConfig } from "@commerce-core/adapters-redis"
import { Config, ConfigError, Effect, Either, Option } from "effect"

export type EngineMode = "memory" | "mysql" | "mysql+redis"

/**
 * Which engines the environment configures: nothing is the embedded memory default;
 * `MYSQL_URL` puts every port with a MySQL adapter on MySQL; `REDIS_URL` as well puts Redis
 * in the hot paths. Redis alone is refused: its adapters decorate the MySQL store of truth.
 * The URLs themselves are validated by the adapters' own configurations.
 */
export const EngineModeConfig: Config.Config<EngineMode> = Config.all({
  mysql: Config.option(Config.redacted("MYSQL_URL")),
  redis: Config.option(Config.redacted("REDIS_URL")),
}).pipe(
  Config.mapOrFail(({ mysql, redis }) => {
    if (Option.isNone(mysql)) {
      return Option.isNone(redis)
        ? Either.right("memory" as const)
        : Either.left(
            ConfigError.InvalidData(
              ["REDIS_URL"],
              "REDIS_URL needs MYSQL_URL: the Redis adapters decorate the MySQL store of truth",
            ),
          )
    }
    return Either.right(Option.isNone(redis) ? ("mysql" as const) : ("mysql+redis" as const))
  }),
)

/**
 * The mode, with the chosen engines' own settings validated before anything connects, so
 * that a bad `REDIS_URL` is reported even while MySQL is unreachable.
 */
export const loadEngineMode: Effect.Effect<EngineMode, ConfigError.ConfigError> = Effect.flatMap(
  EngineModeConfig,
  (mode) => {
    if (mode === "memory") return Effect.succeed(mode)
    const settings: Config.Config<unknown> = mode === "mysql" ? MysqlConfig : Config.all([MysqlConfig, RedisConfig])
    return Effect.as(settings, mode)
  },
)
