import { PersistenceUnavailable } from "@commerce-core/domain"
import { type SqlClient, TransactionConnection } from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Cause, Context, Effect, Exit, Option, Random, Scope } from "effect"
import { CurrentTransaction, makeLazyTransaction } from "./LazyTransaction.js"
import { PendingOutbox, PendingOutboxTag } from "./PendingOutbox.js"
import {
  classify,
  currentAttempt,
  isRetryable,
  isSqlError,
  type TransactionAttempt,
  toUnavailable,
} from "./SqlFailure.js"

/** Deadlock and lock-timeout retries of a whole transaction (or a lone statement). */
export interface RetryPolicy {
  readonly maxAttempts: number
  readonly baseDelayMillis: number
  readonly maxDelayMillis: number
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 12, baseDelayMillis: 2, maxDelayMillis: 250 }

/**
 * Backoff waits in wall-clock time: the contention it waits out is in the database, which
 * knows nothing of a TestClock, and a retry must never hang a test that froze the clock.
 */
const wallClockSleep = (millis: number) =>
  Effect.async<void>((resume) => {
    const timer = setTimeout(() => resume(Effect.void), millis)
    return Effect.sync(() => clearTimeout(timer))
  })

/** The upper bound of the n-th (0-based) retry's delay: base * 2^n, capped. */
export const backoffCeiling = (policy: RetryPolicy, attempt: number): number =>
  Math.min(policy.maxDelayMillis, policy.baseDelayMillis * 2 ** Math.min(attempt, 30))

/** "Full jitter": a uniform delay in [0, backoffCeiling]. */
const backoff = (policy: RetryPolicy, attempt: number) =>
  Effect.flatMap(Random.nextIntBetween(0, backoffCeiling(policy, attempt) + 1), wallClockSleep)

export const inTransaction = Effect.map(Effect.serviceOption(TransactionConnection), Option.isSome)

const sqlDefectToUnavailable = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.catchAllDefect(self, (defect) => (isSqlError(defect) ? toUnavailable(defect) : Effect.die(defect)))

const mapDriverErrors = <A, E, R>(self: Effect.Effect<A, E | SqlError, R>) =>
  self.pipe(
    sqlDefectToUnavailable,
    Effect.catchIf(
      (e): e is Extract<E | SqlError, SqlError> => isSqlError(e),
      (e) => toUnavailable(e as SqlError),
    ),
  ) as Effect.Effect<A, Exclude<E, SqlError> | PersistenceUnavailable, R>

/**
 * One outermost transaction (what `sql.withTransaction` does at depth 0, plus the isolation
 * level, a connection reserved and BEGIN sent only by the first statement, and the pending
 * outbox rows, which go with the COMMIT). Nested `sql.withTransaction` calls inside see the
 * connection and open savepoints on it.
 */
const outermost = <A, E, R>(sql: SqlClient, self: Effect.Effect<A, E, R>, isolation: string | undefined) =>
  mapDriverErrors(
    Effect.contextWithEffect((outer: Context.Context<never>) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Scope.make(), (scope) => {
          const lazy = makeLazyTransaction(sql, scope, outer, isolation)
          const pending = new PendingOutbox()
          // one context for the body: three provideService calls cost three context copies
          const inside = outer.pipe(
            Context.add(TransactionConnection, [lazy.connection, 0] as const),
            Context.add(PendingOutboxTag, pending),
            Context.add(CurrentTransaction, lazy),
          )
          const body = Effect.provide(self, inside as Context.Context<unknown>) as Effect.Effect<A, E>
          return Effect.flatMap(Effect.exit(restore(body)), (exit) => {
            let end: Effect.Effect<unknown, SqlError> = Effect.void
            if (Exit.isFailure(exit)) end = lazy.rollback
            else if (lazy.opened() || pending.mark() > 0) {
              // the pending outbox rows go with the COMMIT (with BEGIN too, when nothing else ran)
              const [statements, params] = pending.commitStatement(sql)
              end = lazy.finish(statements, params)
            }
            return Effect.ensuring(Effect.zipRight(end, exit), Scope.close(scope, exit))
          })
        }),
      ),
    ),
  )

/** A savepoint of the open transaction; when it rolls back, so do the outbox rows appended in it. */
const savepoint = <A, E, R>(sql: SqlClient, self: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.serviceOption(PendingOutboxTag), (pending) => {
    const once = mapDriverErrors(sql.withTransaction(self))
    if (Option.isNone(pending)) return once
    const mark = pending.value.mark()
    return Effect.onExit(once, (exit) =>
      Exit.isFailure(exit) ? Effect.sync(() => pending.value.rollbackTo(mark)) : Effect.void,
    )
  })

const transactionAt =
  (isolation: string | undefined) =>
  (sql: SqlClient, policy: RetryPolicy = defaultRetryPolicy) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | PersistenceUnavailable, R> =>
    Effect.flatMap(inTransaction, (nested) =>
      nested ? savepoint(sql, self) : retried(policy, outermost(sql, self, isolation)),
    ) as Effect.Effect<A, E | PersistenceUnavailable, R>

/**
 * Runs `self` in a transaction: a savepoint when one is open on this fiber, otherwise a new
 * transaction that is retried from the start, after a jittered backoff and outside any
 * transaction, when a statement inside it was chosen as a deadlock victim or timed out on a
 * lock. Driver errors of BEGIN/COMMIT/ROLLBACK become PersistenceUnavailable.
 */
export const transactional = transactionAt(undefined)

/** Runs `once` (an outermost transaction) again from the start while its attempts are flagged retryable. */
const retried = <A, E, R>(
  policy: RetryPolicy,
  once: Effect.Effect<A, E | PersistenceUnavailable, R>,
): Effect.Effect<A, E | PersistenceUnavailable, R> => {
  const attemptFrom = (n: number): Effect.Effect<A, E | PersistenceUnavailable, R> => {
    const attempt: TransactionAttempt = { retryable: false }
    return Effect.locally(Effect.exit(once), currentAttempt, Option.some(attempt)).pipe(
      Effect.flatMap((exit) => {
        if (Exit.isSuccess(exit) || !attempt.retryable || Cause.isInterruptedOnly(exit.cause)) return exit
        if (n + 1 >= policy.maxAttempts) {
          return Effect.fail(
            new PersistenceUnavailable({ reason: `mysql: gave up after ${n + 1} deadlocked or timed-out attempts` }),
          )
        }
        return Effect.zipRight(backoff(policy, n), attemptFrom(n + 1))
      }),
    )
  }
  return attemptFrom(0)
}

/**
 * Like `transactional`, but an outermost transaction runs at READ COMMITTED: its locking reads
 * lock the rows they return and no gaps, so a scan `FOR UPDATE` over the end of a table does
 * not hold up concurrent inserts there (REPEATABLE READ would block them until it commits).
 * `SET TRANSACTION` (no SESSION) affects only the next transaction of the connection, which
 * is reserved for it, so nothing leaks to the pool. Nested, it is a plain savepoint.
 */
export const readCommitted = transactionAt("READ COMMITTED")

/**
 * Runs one statement, mapping driver errors to PersistenceUnavailable. Outside a transaction
 * the statement is its own transaction, so a deadlock retries just the statement; inside one
 * the enclosing transaction is flagged and retried as a whole.
 */
export const statement =
  (policy: RetryPolicy = defaultRetryPolicy) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, SqlError> | PersistenceUnavailable, R> => {
    const loop = (n: number, nested: boolean): Effect.Effect<A, Exclude<E, SqlError> | PersistenceUnavailable, R> =>
      Effect.catchIf(
        self as Effect.Effect<A, Exclude<E, SqlError> | SqlError, R>,
        (error): error is SqlError => isSqlError(error),
        (error) =>
          !nested && isRetryable(classify(error)) && n + 1 < policy.maxAttempts
            ? Effect.zipRight(backoff(policy, n), loop(n + 1, nested))
            : toUnavailable(error),
      )
    return Effect.flatMap(inTransaction, (nested) => loop(0, nested))
  }
