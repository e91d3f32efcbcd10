import { Config, ConfigError, Either, Option } from "effect"

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
