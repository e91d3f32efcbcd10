import { Clock, Context, Effect, Layer, Option, Schema } from "effect"
import { newEvent } from "../events/DomainEvent.js"
import { aggregateKey } from "../events/EventFields.js"
import { EventOutbox } from "../events/EventOutbox.js"
import { PointWalletRepository } from "../points/PointWalletRepository.js"
import type { InvalidInput, PersistenceUnavailable } from "../shared/DomainError.js"
import { IdGenerator } from "../shared/IdGenerator.js"
import type { UserId } from "../shared/Ids.js"
import { isoDate } from "../shared/SeoulCalendar.js"
import { Transactor } from "../shared/Transactor.js"
import { PasswordHasher } from "./PasswordHasher.js"
import { type SignUpInput, validateSignUp } from "./SignUp.js"
import { LoginId, type User } from "./User.js"
import { InvalidCredentials, type UserAlreadyExists, UserNotFound } from "./UserErrors.js"
import { UserRepository } from "./UserRepository.js"

export class UserService extends Context.Tag("@commerce-core/domain/UserService")<
  UserService,
  {
    /** Creates the user and its empty point wallet together, raising UserSignedUp. */
    readonly signUp: (
      input: SignUpInput,
    ) => Effect.Effect<User, InvalidInput | UserAlreadyExists | PersistenceUnavailable>
    readonly getById: (id: UserId) => Effect.Effect<User, UserNotFound | PersistenceUnavailable>
    /** None for an unknown or malformed login id (a gateway's X-USER-ID is looked up here). */
    readonly findByLoginId: (loginId: string) => Effect.Effect<Option.Option<User>, PersistenceUnavailable>
    /** The same InvalidCredentials for an unknown user, a user without password and a wrong one. */
    readonly authenticate: (
      loginId: string,
      password: string,
    ) => Effect.Effect<User, InvalidCredentials | PersistenceUnavailable>
  }
>() {}

const isLoginId = Schema.is(LoginId)

export const UserServiceLive = Layer.effect(
  UserService,
  Effect.gen(function* () {
    const users = yield* UserRepository
    const wallets = yield* PointWalletRepository
    const hasher = yield* PasswordHasher
    const tx = yield* Transactor
    const outbox = yield* EventOutbox
    const ids = yield* IdGenerator
    // Verified against when there is no stored hash, so that a miss costs as much as a wrong password.
    const decoyHash = yield* Effect.cached(hasher.hash("commerce-core decoy password"))

    const findCredentials = (loginId: string) =>
      isLoginId(loginId) ? users.findCredentials(loginId) : Effect.succeed(Option.none())

    return UserService.of({
      signUp: (input) =>
        Effect.gen(function* () {
          const createdAt = new Date(yield* Clock.currentTimeMillis)
          const valid = yield* validateSignUp(input, isoDate(createdAt.getTime()))
          const passwordHash = yield* Option.match(valid.password, {
            onNone: () => Effect.succeed(Option.none<string>()),
            onSome: (plain) => Effect.map(hasher.hash(plain), Option.some),
          })
          return yield* tx.withTransaction(
            Effect.gen(function* () {
              const user = yield* users.insert({
                loginId: valid.loginId,
                email: valid.email,
                gender: valid.gender,
                birthDate: valid.birthDate,
                passwordHash,
                createdAt,
              })
              // The id was assigned by this insert, so an existing wallet for it is a corrupt store.
              yield* wallets
                .create(user.id, createdAt)
                .pipe(Effect.catchTag("WalletAlreadyExists", (e) => Effect.die(e)))
              const event = yield* newEvent("UserSignedUp", {
                aggregateKey: aggregateKey.user(user.id),
                userId: user.id,
                loginId: user.loginId,
              }).pipe(Effect.provideService(IdGenerator, ids))
              yield* outbox.append([event])
              return user
            }),
          )
        }),

      getById: (id) =>
        Effect.flatMap(
          users.findById(id),
          Option.match({ onNone: () => Effect.fail(new UserNotFound({ userId: id })), onSome: Effect.succeed }),
        ),

      findByLoginId: (loginId) => (isLoginId(loginId) ? users.findByLoginId(loginId) : Effect.succeed(Option.none())),

      authenticate: (loginId, password) =>
        Effect.gen(function* () {
          const credentials = yield* findCredentials(loginId)
          const stored = Option.flatMap(credentials, (c) => c.passwordHash)
          const hash = Option.isSome(stored) ? stored.value : yield* decoyHash
          const matches = yield* hasher.verify(typeof password === "string" ? password : "", hash)
          if (matches && Option.isSome(credentials) && Option.isSome(stored)) return credentials.value.user
          return yield* new InvalidCredentials()
        }),
    })
  }),
)
