import { Schema } from "effect"
import type { ErrorKind } from "../shared/DomainError.js"

/** The key was first used for a different request; its result is not this request's. */
export class IdempotencyKeyReused extends Schema.TaggedError<IdempotencyKeyReused>()("IdempotencyKeyReused", {
  key: Schema.String,
}) {
  get code() {
    return "IDEMPOTENCY_KEY_REUSED" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Idempotency key ${this.key} was already used for a different request`
  }
}

/** The first request with this key has not finished yet; retry later to get its result. */
export class IdempotencyInProgress extends Schema.TaggedError<IdempotencyInProgress>()("IdempotencyInProgress", {
  key: Schema.String,
}) {
  get code() {
    return "IDEMPOTENCY_IN_PROGRESS" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `A request with idempotency key ${this.key} is still in progress`
  }
}
