import {
  BirthDate,
  Email,
  LoginId,
  type NewUser,
  UserAlreadyExists,
  type UserId,
  UserRepository,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, type Layer, Option } from "effect"

/** A valid user to insert; whole-second times so that any SQL DATETIME keeps them exactly. */
export const newUser = (loginId: string, overrides: Partial<NewUser> = {}): NewUser => ({
  loginId: LoginId.make(loginId),
  email: Email.make(`${loginId}@example.com`),
  gender: "FEMALE",
  birthDate: BirthDate.make("1990-04-15"),
  passwordHash: Option.some(`hash-of-${loginId}`),
  createdAt: new Date("2026-03-01T09:30:15.000Z"),
  ...overrides,
})

/**
 * The behaviour every UserRepository adapter must show. `makeLayer` is called once per test
 * and must give an empty store.
 */
export const userRepositoryContract = (makeLayer: () => Layer.Layer<UserRepository, unknown>) => {
  describe("UserRepository contract", () => {
    it.effect("inserts with a fresh positive id and reads every field back by id and by login id", () =>
      Effect.gen(function* () {
        const repo = yield* UserRepository
        const input = newUser("alice", { gender: "MALE", birthDate: BirthDate.make("2000-02-29") })
        const user = yield* repo.insert(input)
        expect(user.id).toBeGreaterThan(0)
        expect({ ...user }).toEqual({
          id: user.id,
          loginId: "alice",
          email: "alice@example.com",
          gender: "MALE",
          birthDate: "2000-02-29",
          createdAt: input.createdAt,
        })
        expect(Option.getOrThrow(yield* repo.findById(user.id))).toEqual(user)
        expect(Option.getOrThrow(yield* repo.findByLoginId(LoginId.make("alice")))).toEqual(user)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("finds nothing for an unknown id or login id", () =>
      Effect.gen(function* () {
        const repo = yield* UserRepository
        const user = yield* repo.insert(newUser("bob"))
        expect(Option.isNone(yield* repo.findById((user.id + 1000) as UserId))).toBe(true)
        expect(Option.isNone(yield* repo.findByLoginId(LoginId.make("nobody")))).toBe(true)
        expect(Option.isNone(yield* repo.findCredentials(LoginId.make("nobody")))).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("refuses a taken login id and leaves the first user untouched", () =>
      Effect.gen(function* () {
        const repo = yield* UserRepository
        const first = yield* repo.insert(newUser("carol"))
        const second = yield* Effect.flip(
          repo.insert(newUser("carol", { email: Email.make("other@example.com"), passwordHash: Option.none() })),
        )
        expect(second).toBeInstanceOf(UserAlreadyExists)
        expect(second).toMatchObject({ loginId: "carol", code: "USER_ALREADY_EXISTS" })
        expect(Option.getOrThrow(yield* repo.findByLoginId(LoginId.make("carol")))).toEqual(first)
        const credentials = Option.getOrThrow(yield* repo.findCredentials(LoginId.make("carol")))
        expect(credentials.passwordHash).toEqual(Option.some("hash-of-carol"))
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("matches login ids case-sensitively: Dave and dave are two users", () =>
      Effect.gen(function* () {
        const repo = yield* UserRepository
        const upper = yield* repo.insert(newUser("Dave"))
        const lower = yield* repo.insert(newUser("dave"))
        expect(upper.id).not.toBe(lower.id)
        expect(Option.getOrThrow(yield* repo.findByLoginId(LoginId.make("Dave"))).id).toBe(upper.id)
        expect(Option.getOrThrow(yield* repo.findByLoginId(LoginId.make("dave"))).id).toBe(lower.id)
        expect(Option.isNone(yield* repo.findByLoginId(LoginId.make("DAVE")))).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("returns the stored password hash with the user, and none when there is none", () =>
      Effect.gen(function* () {
        const repo = yield* UserRepository
        const withHash = yield* repo.insert(newUser("erin", { passwordHash: Option.some("scrypt$ln=1$abc$def") }))
        const withoutHash = yield* repo.insert(newUser("frank", { passwordHash: Option.none() }))
        const erin = Option.getOrThrow(yield* repo.findCredentials(LoginId.make("erin")))
        expect(erin.user).toEqual(withHash)
        expect(erin.passwordHash).toEqual(Option.some("scrypt$ln=1$abc$def"))
        const frank = Option.getOrThrow(yield* repo.findCredentials(LoginId.make("frank")))
        expect(frank.user).toEqual(withoutHash)
        expect(Option.isNone(frank.passwordHash)).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("lets exactly one of 200 racing inserts of one login id win", () =>
      Effect.gen(function* () {
        const repo = yield* UserRepository
        const exits = yield* Effect.all(
          Array.from({ length: 200 }, (_, i) =>
            Effect.exit(repo.insert(newUser("racer", { email: Email.make(`racer${i}@example.com`) }))),
          ),
          { concurrency: "unbounded" },
        )
        const winners = exits.filter(Exit.isSuccess)
        expect(winners).toHaveLength(1)
        const losers = yield* Effect.all(exits.filter(Exit.isFailure).map((exit) => Effect.flip(exit)))
        expect(losers).toHaveLength(199)
        expect(losers.every((e) => e instanceof UserAlreadyExists)).toBe(true)
        const stored = Option.getOrThrow(yield* repo.findByLoginId(LoginId.make("racer")))
        expect(stored).toEqual(winners[0]!.value)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("gives 100 concurrent inserts of distinct login ids 100 distinct ids", () =>
      Effect.gen(function* () {
        const repo = yield* UserRepository
        const users = yield* Effect.all(
          Array.from({ length: 100 }, (_, i) => repo.insert(newUser(`u${i}`))),
          { concurrency: "unbounded" },
        )
        expect(new Set(users.map((u) => u.id)).size).toBe(100)
        for (const user of users) {
          expect(Option.getOrThrow(yield* repo.findById(user.id)).loginId).toBe(user.loginId)
        }
      }).pipe(Effect.provide(makeLayer())),
    )
  })
}
