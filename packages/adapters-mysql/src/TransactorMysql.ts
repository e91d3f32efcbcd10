import { Transactor } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { Effect, Layer } from "effect"
import { defaultRetryPolicy, type RetryPolicy, transactional } from "./internal/Transaction.js"

export type { RetryPolicy } from "./internal/Transaction.js"

/**
 * `Transactor` over `sql.withTransaction`: nested calls are savepoints of the open transaction;
 * an outermost transaction that deadlocks or times out on a lock is retried from the start.
 */
export const makeTransactorMysql = (policy: RetryPolicy = defaultRetryPolicy) =>
  Layer.effect(
    Transactor,
    Effect.map(SqlClient, (sql) => Transactor.of({ withTransaction: transactional(sql, policy) })),
  )

export const TransactorMysql = makeTransactorMysql()
