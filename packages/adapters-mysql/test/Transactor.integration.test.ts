import { PersistenceUnavailable, Transactor } from "@commerce-core/domain"
import { transactorContract } from "@commerce-core/domain/testing"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer, Ref } from "effect"
import { expect } from "vitest"
import {
  CartRepositoryMysql,
  EventOutboxMysql,
  mysqlClientLayer,
  OutboxRelayStoreMysql,
  TransactorMysql,
} from "../src/index.js"
import { statement } from "../src/internal/Transaction.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

class Boom {
  readonly _tag = "Boom"
}

describeMysql("TransactorMysql", () => {
  const db = useTestDatabase()
  const layer = () => db.fresh(TransactorMysql)

  transactorContract(() =>
    db.fresh(Layer.mergeAll(TransactorMysql, CartRepositoryMysql, EventOutboxMysql, OutboxRelayStoreMysql)),
  )

  const setup = Effect.gen(function* () {
    const sql = yield* SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS tx_probe (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB`
    yield* sql`DELETE FROM tx_probe`
    yield* sql`INSERT INTO tx_probe (id, v) VALUES (1, 0), (2, 0)`
  })

  const values = Effect.flatMap(
    SqlClient,
    (sql) => sql<{ id: number; v: number }>`SELECT id, v FROM tx_probe ORDER BY id`,
  )

  const bump = (id: number) => Effect.flatMap(SqlClient, (sql) => sql`UPDATE tx_probe SET v = v + 1 WHERE id = ${id}`)

  it.live("commits every write together", () =>
    Effect.gen(function* () {
      yield* setup
      const tx = yield* Transactor
      yield* tx.withTransaction(Effect.zipRight(bump(1), bump(2)).pipe(Effect.orDie))
      expect(yield* values).toEqual([
        { id: 1, v: 1 },
        { id: 2, v: 1 },
      ])
    }).pipe(Effect.provide(layer())),
  )

  it.live("a failure, a defect or an interruption leaves nothing behind", () =>
    Effect.gen(function* () {
      yield* setup
      const tx = yield* Transactor
      const failed = yield* Effect.exit(
        tx.withTransaction(Effect.zipRight(Effect.orDie(bump(1)), Effect.fail(new Boom()))),
      )
      expect(Exit.isFailure(failed)).toBe(true)
      yield* Effect.exit(tx.withTransaction(Effect.zipRight(Effect.orDie(bump(1)), Effect.die("bug"))))
      const started = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(
        tx.withTransaction(
          Effect.orDie(bump(1)).pipe(
            Effect.zipRight(Deferred.succeed(started, undefined)),
            Effect.zipRight(Effect.never),
          ),
        ),
      )
      yield* Deferred.await(started)
      yield* Fiber.interrupt(fiber)
      expect(yield* values).toEqual([
        { id: 1, v: 0 },
        { id: 2, v: 0 },
      ])
    }).pipe(Effect.provide(layer())),
  )

  it.live("a nested transaction is a savepoint: its failure undoes only its own writes", () =>
    Effect.gen(function* () {
      yield* setup
      const tx = yield* Transactor
      yield* tx.withTransaction(
        Effect.gen(function* () {
          yield* Effect.orDie(bump(1))
          const inner = yield* Effect.exit(
            tx.withTransaction(Effect.zipRight(Effect.orDie(bump(2)), Effect.fail(new Boom()))),
          )
          expect(Exit.isFailure(inner)).toBe(true)
        }),
      )
      expect(yield* values).toEqual([
        { id: 1, v: 1 },
        { id: 2, v: 0 },
      ])
    }).pipe(Effect.provide(layer())),
  )

  it.live("a deadlock victim is retried outside the transaction until both transactions commit", () =>
    Effect.gen(function* () {
      yield* setup
      const tx = yield* Transactor
      const attempts = yield* Ref.make(0)
      const firstLocked = yield* Deferred.make<void>()
      const secondLocked = yield* Deferred.make<void>()
      // Opposite lock order, with a rendezvous after the first lock of each: a guaranteed deadlock.
      const crossing = (
        first: number,
        second: number,
        mine: Deferred.Deferred<void>,
        theirs: Deferred.Deferred<void>,
      ) =>
        tx.withTransaction(
          Effect.gen(function* () {
            const n = yield* Ref.updateAndGet(attempts, (k) => k + 1)
            yield* Effect.orDie(bump(first))
            yield* Deferred.succeed(mine, undefined)
            if (n <= 2) yield* Deferred.await(theirs)
            const sql = yield* SqlClient
            // A port maps the deadlock to PersistenceUnavailable; the transactor still sees it as retryable.
            const error = yield* Effect.flip(statement()(sql`UPDATE tx_probe SET v = v + 1 WHERE id = ${second}`)).pipe(
              Effect.option,
            )
            if (error._tag === "Some") return yield* Effect.fail(error.value)
          }),
        )
      yield* Effect.all([crossing(1, 2, firstLocked, secondLocked), crossing(2, 1, secondLocked, firstLocked)], {
        concurrency: 2,
      })
      expect(yield* values).toEqual([
        { id: 1, v: 2 },
        { id: 2, v: 2 },
      ])
      expect(yield* Ref.get(attempts)).toBe(3)
    }).pipe(Effect.provide(layer())),
  )

  it.live("driver errors leave a port as PersistenceUnavailable, classified by errno", () =>
    Effect.gen(function* () {
      yield* setup
      const sql = yield* SqlClient
      const error = yield* Effect.flip(statement()(sql`INSERT INTO tx_probe (id, v) VALUES (1, 5)`))
      expect(error).toBeInstanceOf(PersistenceUnavailable)
      expect(error.reason).toContain("duplicate-key")
    }).pipe(Effect.provide(layer())),
  )

  it.live("a server that cannot be reached fails the client layer with PersistenceUnavailable", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Layer.build(
          mysqlClientLayer({
            host: "127.0.0.1",
            port: 1,
            database: "x",
            user: "root",
            password: undefined,
            poolSize: 1,
          }),
        ),
      ).pipe(Effect.scoped)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error).toBeInstanceOf(
        PersistenceUnavailable,
      )
    }),
  )
})
