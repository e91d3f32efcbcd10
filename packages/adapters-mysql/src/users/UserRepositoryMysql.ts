import {
  type BirthDate,
  type Email,
  type Gender,
  type LoginId,
  User,
  UserAlreadyExists,
  UserId,
  UserRepository,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { insertId, makeDb, onDuplicateKey } from "../internal/Db.js"

interface UserRow {
  readonly id: number
  readonly login_id: string
  readonly email: string
  readonly gender: string
  readonly birth_date: string
  readonly password_hash: string | null
  readonly created_at: Date
}

/** Rows were validated on their way in, so they are mapped without re-validation (~100 µs a row). */
const toUser = (row: UserRow) =>
  new User(
    {
      id: Number(row.id) as UserId,
      loginId: row.login_id as LoginId,
      email: row.email as Email,
      gender: row.gender as Gender,
      birthDate: row.birth_date as BirthDate,
      createdAt: row.created_at,
    },
    true,
  )

export const UserRepositoryMysql = Layer.effect(
  UserRepository,
  Effect.gen(function* () {
    const { sql, run } = yield* makeDb
    const columns = sql`id, login_id, email, gender, birth_date, password_hash, created_at`
    const first = (rows: ReadonlyArray<UserRow>) => Option.map(Option.fromNullable(rows[0]), toUser)

    return UserRepository.of({
      insert: (user) =>
        sql`INSERT INTO users ${sql.insert({
          login_id: user.loginId,
          email: user.email,
          gender: user.gender,
          birth_date: user.birthDate,
          password_hash: Option.getOrNull(user.passwordHash),
          created_at: user.createdAt,
        })}`.raw.pipe(
          onDuplicateKey(() => new UserAlreadyExists({ loginId: user.loginId })),
          run,
          Effect.map(
            (raw) =>
              new User({
                id: UserId.make(insertId(raw)),
                loginId: user.loginId,
                email: user.email,
                gender: user.gender,
                birthDate: user.birthDate,
                createdAt: user.createdAt,
              }),
          ),
        ),
      findById: (id) => run(sql<UserRow>`SELECT ${columns} FROM users WHERE id = ${id}`).pipe(Effect.map(first)),
      findByLoginId: (loginId) =>
        run(sql<UserRow>`SELECT ${columns} FROM users WHERE login_id = ${loginId}`).pipe(Effect.map(first)),
      findCredentials: (loginId) =>
        run(sql<UserRow>`SELECT ${columns} FROM users WHERE login_id = ${loginId}`).pipe(
          Effect.map((rows) =>
            Option.map(Option.fromNullable(rows[0]), (row) => ({
              user: toUser(row),
              passwordHash: Option.fromNullable(row.password_hash),
            })),
          ),
        ),
    })
  }),
)
