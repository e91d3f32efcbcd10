import { Schema } from "effect"
import type { ErrorKind } from "../shared/DomainError.js"
import { UserId } from "../shared/Ids.js"

export class UserAlreadyExists extends Schema.TaggedError<UserAlreadyExists>()("UserAlreadyExists", {
  loginId: Schema.String,
}) {
  get code() {
    return "USER_ALREADY_EXISTS" as const
  }
  get kind(): ErrorKind {
    return "conflict"
  }
  override get message() {
    return `Login id ${this.loginId} is already taken`
  }
}

export class UserNotFound extends Schema.TaggedError<UserNotFound>()("UserNotFound", {
  userId: UserId,
}) {
  get code() {
    return "USER_NOT_FOUND" as const
  }
  get kind(): ErrorKind {
    return "not-found"
  }
  override get message() {
    return `User ${this.userId} not found`
  }
}

/** One error for an unknown login id and a wrong password, so callers cannot tell which. */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>()("InvalidCredentials", {}) {
  get code() {
    return "UNAUTHORIZED" as const
  }
  get kind(): ErrorKind {
    return "unauthorized"
  }
  override get message() {
    return "Invalid login id or password"
  }
}
