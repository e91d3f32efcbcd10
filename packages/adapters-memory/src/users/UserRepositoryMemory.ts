import { User, UserAlreadyExists, type UserCredentials, type UserId, UserRepository } from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

export const UserRepositoryMemory = Layer.effect(
  UserRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const users = db.table<UserId, UserCredentials>("users")
    // The unique index on login id: checked and written in the same statement as the row.
    const byLoginId = db.table<string, UserId>("users_login_id")

    const credentialsOf = (loginId: string) =>
      db.read((view) => {
        const id = view.get(byLoginId, loginId)
        return Option.fromNullable(id === undefined ? undefined : view.get(users, id))
      })

    return UserRepository.of({
      insert: (input) =>
        db.write((tx) => {
          if (tx.get(byLoginId, input.loginId) !== undefined) {
            return Effect.fail(new UserAlreadyExists({ loginId: input.loginId }))
          }
          const id = db.nextId("users") as UserId
          const user = new User({
            id,
            loginId: input.loginId,
            email: input.email,
            gender: input.gender,
            birthDate: input.birthDate,
            createdAt: input.createdAt,
          })
          tx.set(users, id, { user, passwordHash: input.passwordHash })
          tx.set(byLoginId, input.loginId, id)
          return Effect.succeed(user)
        }),
      findById: (id) => db.read((view) => Option.map(Option.fromNullable(view.get(users, id)), (row) => row.user)),
      findByLoginId: (loginId) =>
        Effect.map(
          credentialsOf(loginId),
          Option.map((row) => row.user),
        ),
      findCredentials: credentialsOf,
    })
  }),
)
