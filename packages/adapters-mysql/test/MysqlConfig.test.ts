import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Exit, Redacted } from "effect"
import * as fc from "fast-check"
import { MysqlConfig, parseMysqlUrl } from "../src/index.js"

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("MYSQL_URL parsing", () => {
  it("reads host, port, database, user and password, decoding escapes", () => {
    const parsed = Either.getOrThrow(parseMysqlUrl("mysql://app:p%40ss%2Fw@db.internal:3307/commerce", 8))
    expect({ ...parsed, password: parsed.password && Redacted.value(parsed.password) }).toEqual({
      host: "db.internal",
      port: 3307,
      database: "commerce",
      user: "app",
      password: "p@ss/w",
      poolSize: 8,
    })
  })

  it("defaults the port to 3306, the user to root and leaves an absent password absent", () => {
    const parsed = Either.getOrThrow(parseMysqlUrl("mariadb://127.0.0.1/test"))
    expect(parsed).toMatchObject({ host: "127.0.0.1", port: 3306, user: "root", database: "test", poolSize: 20 })
    expect(parsed.password).toBeUndefined()
  })

  it("takes a Unix socket from ?socket=, and refuses a relative one or any other parameter", () => {
    const parsed = Either.getOrThrow(parseMysqlUrl("mysql://app@localhost/shop?socket=%2Frun%2Fmysqld%2Fmysqld.sock"))
    expect(parsed).toMatchObject({ socketPath: "/run/mysqld/mysqld.sock", database: "shop", user: "app" })
    expect(Either.getOrThrow(parseMysqlUrl("mysql://h/db")).socketPath).toBeUndefined()
    expect(parseMysqlUrl("mysql://h/db?socket=mysqld.sock")).toEqual(
      Either.left("socket must be an absolute path, like ?socket=/run/mysqld/mysqld.sock"),
    )
    expect(parseMysqlUrl("mysql://h/db?sock=/run/mysqld/mysqld.sock")).toEqual(
      Either.left('has an unknown parameter "sock" (the one supported is socket)'),
    )
  })

  it("rejects what is not a MySQL URL naming one database", () => {
    for (const url of ["", "localhost:3306/x", "postgres://h/db", "mysql://h", "mysql://h/", "mysql://h/a/b"]) {
      expect(Either.isLeft(parseMysqlUrl(url))).toBe(true)
    }
  })

  it("round-trips any user, password and database name through URL encoding (property)", () => {
    const name = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes("/"))
    // "." and ".." are dot segments a URL path resolves away (encoded or not), and no database
    // can have those names: they are rejected, as the next test shows
    const database = name.filter((s) => s !== "." && s !== "..")
    fc.assert(
      fc.property(
        name,
        fc.string({ minLength: 1, maxLength: 20 }),
        database,
        fc.integer({ min: 1, max: 65535 }),
        (user, password, database, port) => {
          const url = `mysql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@h:${port}/${encodeURIComponent(database)}`
          const parsed = Either.getOrThrow(parseMysqlUrl(url))
          expect(parsed.user).toBe(user)
          expect(parsed.password && Redacted.value(parsed.password)).toBe(password)
          expect(parsed.database).toBe(database)
          expect(parsed.port).toBe(port)
        },
      ),
    )
  })

  it("rejects a path that is only a dot segment, which names no database", () => {
    for (const path of [".", "..", "%2E", "%2e%2E"]) {
      expect(Either.isLeft(parseMysqlUrl(`mysql://root@127.0.0.1:3306/${path}`))).toBe(true)
    }
  })

  it.effect("MysqlConfig takes MYSQL_URL and MYSQL_POOL_SIZE from the environment", () =>
    Effect.gen(function* () {
      const config = yield* MysqlConfig.pipe(
        withEnv({ MYSQL_URL: "mysql://root@127.0.0.1:3306/shop", MYSQL_POOL_SIZE: "64" }),
      )
      expect(config).toMatchObject({ database: "shop", poolSize: 64 })
      const defaults = yield* MysqlConfig.pipe(withEnv({ MYSQL_URL: "mysql://root@127.0.0.1/shop" }))
      expect(defaults.poolSize).toBe(20)
      expect(defaults.statementSpans).toBe(false)
      const traced = yield* MysqlConfig.pipe(
        withEnv({ MYSQL_URL: "mysql://root@127.0.0.1/shop", MYSQL_STATEMENT_SPANS: "true" }),
      )
      expect(traced.statementSpans).toBe(true)
    }),
  )

  it.effect("MysqlConfig fails with a ConfigError on a bad URL or pool size", () =>
    Effect.gen(function* () {
      for (const env of [
        {},
        { MYSQL_URL: "http://x/y" },
        { MYSQL_URL: "mysql://h/db", MYSQL_POOL_SIZE: "0" },
        { MYSQL_URL: "mysql://h/db", MYSQL_POOL_SIZE: "1" },
        { MYSQL_URL: "mysql://h/db", MYSQL_POOL_SIZE: "many" },
        { MYSQL_URL: "mysql://h/db", MYSQL_STATEMENT_SPANS: "sometimes" },
      ]) {
        const exit = yield* Effect.exit(MysqlConfig.pipe(withEnv(env)))
        expect(Exit.isFailure(exit)).toBe(true)
      }
    }),
  )
})
