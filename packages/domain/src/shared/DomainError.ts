import { Schema } from "effect"

/**
 * How a failure is classified for callers. Transports map a kind to their own vocabulary
 * (HTTP statuses live only in packages/http); the domain never names a status code.
 */
export type ErrorKind = "invalid" | "unauthorized" | "forbidden" | "not-found" | "conflict" | "unavailable"

/** What every domain error exposes besides its `_tag`: a stable SCREAMING_SNAKE code and a kind. */
export interface CodedError {
  readonly _tag: string
  readonly code: string
  readonly kind: ErrorKind
  readonly message: string
}

export const isCodedError = (u: unknown): u is CodedError =>
  typeof u === "object" &&
  u !== null &&
  typeof (u as CodedError)._tag === "string" &&
  typeof (u as CodedError).code === "string" &&
  typeof (u as CodedError).kind === "string"

/** The one infrastructure failure a port may raise: the store could not be reached or gave up. */
export class PersistenceUnavailable extends Schema.TaggedError<PersistenceUnavailable>()("PersistenceUnavailable", {
  reason: Schema.String,
}) {
  get code() {
    return "SERVICE_UNAVAILABLE" as const
  }
  get kind(): ErrorKind {
    return "unavailable"
  }
  override get message() {
    return `Storage unavailable: ${this.reason}`
  }
}

/** Input that breaks a rule of the domain, caught before anything is written. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  field: Schema.String,
  reason: Schema.String,
}) {
  get code() {
    return "BAD_REQUEST" as const
  }
  get kind(): ErrorKind {
    return "invalid"
  }
  override get message() {
    return `${this.field}: ${this.reason}`
  }
}
