import { Context, type Effect, type Option } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { UserId } from "../shared/Ids.js"
import type { BirthDate, Email, Gender, LoginId, User } from "./User.js"
import type { UserAlreadyExists } from "./UserErrors.js"

/** A validated user to store; the store assigns the id. */
export interface NewUser {
  readonly loginId: LoginId
  readonly email: Email
  readonly gender: Gender
  readonly birthDate: BirthDate
  /** Absent for users signed up behind an authenticating gateway. */
  readonly passwordHash: Option.Option<string>
  readonly createdAt: Date
}

export interface UserCredentials {
  readonly user: User
  readonly passwordHash: Option.Option<string>
}

export class UserRepository extends Context.Tag("@commerce-core/domain/UserRepository")<
  UserRepository,
  {
    /** Fails with UserAlreadyExists when the login id is taken; of racing inserts exactly one wins. */
    readonly insert: (user: NewUser) => Effect.Effect<User, UserAlreadyExists | PersistenceUnavailable>
    readonly findById: (id: UserId) => Effect.Effect<Option.Option<User>, PersistenceUnavailable>
    readonly findByLoginId: (loginId: LoginId) => Effect.Effect<Option.Option<User>, PersistenceUnavailable>
    /** The user with its stored password hash, for authentication only. */
    readonly findCredentials: (
      loginId: LoginId,
    ) => Effect.Effect<Option.Option<UserCredentials>, PersistenceUnavailable>
  }
>() {}
