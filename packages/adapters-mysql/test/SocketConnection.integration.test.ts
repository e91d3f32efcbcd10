import { existsSync } from "node:fs"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect } from "effect"
import { expect } from "vitest"
import { mysqlClientLayer } from "../src/index.js"
import { admin, describeMysql, server } from "./support/MysqlTestDatabase.js"

describeMysql("MYSQL_URL ?socket=", () => {
  it.live("connects through the server's Unix socket, not TCP", () =>
    Effect.gen(function* () {
      // the socket the server itself listens on, asked over TCP
      const [row] = yield* Effect.promise(() => admin((sql) => sql<{ socket: string }>`SELECT @@socket AS socket`))
      const socketPath = row?.socket ?? ""
      expect(existsSync(socketPath), `the server's socket ${socketPath} exists`).toBe(true)
      const host = yield* Effect.flatMap(
        SqlClient,
        (sql) => sql<{ host: string }>`SELECT host FROM information_schema.processlist WHERE id = CONNECTION_ID()`,
      ).pipe(Effect.provide(mysqlClientLayer({ ...server, host: "nowhere.invalid", poolSize: 2, socketPath })))
      // a TCP client shows as address:port; one on the socket as localhost
      expect(host[0]?.host).toBe("localhost")
    }),
  )
})
