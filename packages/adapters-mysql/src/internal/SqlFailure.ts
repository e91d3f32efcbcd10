import { PersistenceUnavailable } from "@commerce-core/domain"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, FiberRef, Option } from "effect"

/**
 * What a driver error means to an adapter. Classified by errno, which MariaDB and MySQL 8
 * share for every code used here; connection-level failures carry no errno but a code.
 */
export type SqlFailureKind =
  | "deadlock"
  | "lock-timeout"
  | "duplicate-key"
  | "foreign-key"
  | "out-of-range"
  | "unavailable"
  | "other"

interface DriverError {
  readonly errno?: unknown
  readonly code?: unknown
  readonly sqlMessage?: unknown
  readonly message?: unknown
}

const ER_LOCK_WAIT_TIMEOUT = 1205
const ER_LOCK_DEADLOCK = 1213
/** MariaDB and MySQL both abort an XA branch chosen as a deadlock victim with this code. */
const ER_XA_RBDEADLOCK = 1614
const ER_DUP_ENTRY = 1062
const ER_DUP_ENTRY_WITH_KEY_NAME = 1586
const ER_NO_REFERENCED_ROW = 1216
const ER_ROW_IS_REFERENCED = 1217
const ER_ROW_IS_REFERENCED_2 = 1451
const ER_NO_REFERENCED_ROW_2 = 1452
const ER_WARN_DATA_OUT_OF_RANGE = 1264
const ER_DATA_OUT_OF_RANGE = 1690
const ER_CHECK_CONSTRAINT_VIOLATED = 4025 // MariaDB
const ER_CHECK_CONSTRAINT_VIOLATED_MYSQL = 3819

/** Server-side errnos that mean "the server is going away or refuses work", not a bad statement. */
const unavailableErrnos = new Set([
  1040, // too many connections
  1053, // server shutdown in progress
  1152, // aborted connection
  1158, // network read error
  1159, // network read timeout
  1160, // network write error
  1161, // network write timeout
  1927, // MariaDB: connection killed
  2002, // cannot connect (socket)
  2003, // cannot connect (TCP)
  2006, // server has gone away
  2013, // lost connection during query
  3024, // MySQL: max_execution_time exceeded
  4031, // MySQL 8: disconnected by the server because of inactivity
])

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "POOL_CLOSED",
])

const driverErrorOf = (error: SqlError): DriverError =>
  typeof error.cause === "object" && error.cause !== null ? (error.cause as DriverError) : {}

export const classify = (error: SqlError): SqlFailureKind => {
  const cause = driverErrorOf(error)
  const errno = typeof cause.errno === "number" ? cause.errno : undefined
  switch (errno) {
    case ER_LOCK_DEADLOCK:
    case ER_XA_RBDEADLOCK:
      return "deadlock"
    case ER_LOCK_WAIT_TIMEOUT:
      return "lock-timeout"
    case ER_DUP_ENTRY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
      return "duplicate-key"
    case ER_NO_REFERENCED_ROW:
    case ER_ROW_IS_REFERENCED:
    case ER_ROW_IS_REFERENCED_2:
    case ER_NO_REFERENCED_ROW_2:
      return "foreign-key"
    case ER_WARN_DATA_OUT_OF_RANGE:
    case ER_DATA_OUT_OF_RANGE:
    case ER_CHECK_CONSTRAINT_VIOLATED:
    case ER_CHECK_CONSTRAINT_VIOLATED_MYSQL:
      return "out-of-range"
  }
  if (errno !== undefined && unavailableErrnos.has(errno)) return "unavailable"
  if (typeof cause.code === "string" && unavailableCodes.has(cause.code)) return "unavailable"
  // Errors raised before the driver is reached (no pool, failed handshake) carry no errno.
  if (errno === undefined) return "unavailable"
  return "other"
}

export const isRetryable = (kind: SqlFailureKind) => kind === "deadlock" || kind === "lock-timeout"

/** The name of the unique key a duplicate-key error names (`Duplicate entry 'x' for key 'uq_name'`). */
export const duplicateKeyName = (error: SqlError): string | undefined => {
  const message = driverErrorOf(error).sqlMessage
  if (typeof message !== "string") return undefined
  const match = /for key '(?:[^'.]*\.)?([^']+)'/.exec(message)
  return match?.[1]
}

export const isSqlError = (u: unknown): u is SqlError =>
  typeof u === "object" && u !== null && (u as { _tag?: unknown })._tag === "SqlError"

/**
 * The attempt of the outermost transaction running on this fiber. A statement that hits a
 * deadlock or lock timeout flags it, so that the transaction is retried as a whole even when
 * the failure reached the caller as a mapped domain error or a defect from a savepoint.
 */
export interface TransactionAttempt {
  retryable: boolean
}

export const currentAttempt = FiberRef.unsafeMake<Option.Option<TransactionAttempt>>(Option.none())

const describe = (kind: SqlFailureKind, error: SqlError): string => {
  const cause = driverErrorOf(error)
  const detail = typeof cause.code === "string" ? cause.code : typeof cause.errno === "number" ? cause.errno : ""
  return `${kind}${detail === "" ? "" : ` (${detail})`}`
}

/** Maps a driver error to the port's one infrastructure error, flagging retryable ones. */
export const toUnavailable = (error: SqlError): Effect.Effect<never, PersistenceUnavailable> => {
  const kind = classify(error)
  const fail = Effect.fail(new PersistenceUnavailable({ reason: `mysql: ${describe(kind, error)}` }))
  if (!isRetryable(kind)) return fail
  return Effect.flatMap(FiberRef.get(currentAttempt), (attempt) => {
    if (Option.isSome(attempt)) attempt.value.retryable = true
    return fail
  })
}
