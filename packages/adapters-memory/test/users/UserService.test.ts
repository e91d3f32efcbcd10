import {
  InvalidCredentials,
  InvalidInput,
  LoginId,
  PasswordHasher,
  PersistenceUnavailable,
  PointService,
  PointWalletRepository,
  type SignUpInput,
  UserAlreadyExists,
  type UserId,
  UserNotFound,
  UserRepository,
  UserService,
  UserServiceLive,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer, Option, TestClock } from "effect"
import { PasswordHasherScrypt } from "../../src/users/PasswordHasherScrypt.js"
import { infrastructure, makeCountingHasher, makeServices, outboxEvents } from "../points/ServiceLayers.js"

const input = (overrides: Partial<SignUpInput> = {}): SignUpInput => ({
  loginId: "alice01",
  email: "alice@example.com",
  gender: "FEMALE",
  birthDate: "1965-07-20",
  password: "correct horse",
  ...overrides,
})

describe("UserService.signUp", () => {
  it.effect("creates the user, an empty wallet and a UserSignedUp event, storing only a hash", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2026, 0, 10, 3))
      const user = yield* (yield* UserService).signUp(input())
      expect(user).toMatchObject({ loginId: "alice01", email: "alice@example.com", gender: "FEMALE" })
      expect(user.birthDate).toBe("1965-07-20")
      expect(user.createdAt).toEqual(new Date(Date.UTC(2026, 0, 10, 3)))
      expect(yield* (yield* PointService).balance(user.id)).toBe(0)
      const credentials = Option.getOrThrow(yield* (yield* UserRepository).findCredentials(user.loginId))
      const hash = Option.getOrThrow(credentials.passwordHash)
      expect(hash).not.toContain("correct horse")
      expect(yield* (yield* PasswordHasher).verify("correct horse", hash)).toBe(true)
      const events = yield* outboxEvents
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ _tag: "UserSignedUp", userId: user.id, loginId: "alice01" })
      expect(events[0]!.aggregateKey).toBe(`user:${user.id}`)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("signs up without a password (gateway mode): no hash is stored", () =>
    Effect.gen(function* () {
      const user = yield* (yield* UserService).signUp(input({ password: undefined }))
      const credentials = Option.getOrThrow(yield* (yield* UserRepository).findCredentials(user.loginId))
      expect(Option.isNone(credentials.passwordHash)).toBe(true)
    }).pipe(Effect.provide(makeServices())),
  )

  const invalidCases: ReadonlyArray<readonly [string, Partial<SignUpInput>, string]> = [
    ["an empty login id", { loginId: "" }, "loginId"],
    ["an 11-character login id", { loginId: "abcdefghijk" }, "loginId"],
    ["a login id with a symbol", { loginId: "ali_ce" }, "loginId"],
    ["a login id with a non-ASCII letter", { loginId: "ålice" }, "loginId"],
    ["an email without @", { email: "alice.example.com" }, "email"],
    ["an email without a domain dot", { email: "alice@example" }, "email"],
    ["an email with a space", { email: "ali ce@example.com" }, "email"],
    ["an empty email", { email: "" }, "email"],
    ["a lowercase gender", { gender: "female" }, "gender"],
    ["an unknown gender", { gender: "OTHER" }, "gender"],
    ["a compact birth date", { birthDate: "19950720" }, "birthDate"],
    ["a date that does not exist", { birthDate: "2023-02-29" }, "birthDate"],
    ["month 13", { birthDate: "1995-13-01" }, "birthDate"],
    ["a birth date in the future", { birthDate: "2026-01-11" }, "birthDate"],
    ["a 7-character password", { password: "1234567" }, "password"],
    ["a 73-character password", { password: "x".repeat(73) }, "password"],
    ["an empty password", { password: "" }, "password"],
  ]

  for (const [name, overrides, field] of invalidCases) {
    it.effect(`rejects ${name} as invalid ${field} and writes nothing`, () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(Date.UTC(2026, 0, 10, 3))
        const error = yield* Effect.flip((yield* UserService).signUp(input(overrides)))
        expect(error).toBeInstanceOf(InvalidInput)
        expect(error).toMatchObject({ field, code: "BAD_REQUEST", kind: "invalid" })
        expect(yield* outboxEvents).toEqual([])
        const loginId = overrides.loginId ?? "alice01"
        expect(Option.isNone(yield* (yield* UserService).findByLoginId(loginId))).toBe(true)
      }).pipe(Effect.provide(makeServices())),
    )
  }

  it.effect("judges the future by the Seoul calendar", () =>
    Effect.gen(function* () {
      const users = yield* UserService
      // 2026-01-10 15:30 UTC is already 2026-01-11 00:30 in Seoul.
      yield* TestClock.setTime(Date.UTC(2026, 0, 10, 15, 30))
      const born = yield* users.signUp(input({ loginId: "today", birthDate: "2026-01-11" }))
      expect(born.birthDate).toBe("2026-01-11")
      const tomorrow = yield* Effect.flip(users.signUp(input({ loginId: "tomorrow", birthDate: "2026-01-12" })))
      expect(tomorrow).toMatchObject({ _tag: "InvalidInput", field: "birthDate" })
      // 14:59 UTC is 23:59 on the 10th in Seoul, so the 11th is still the future.
      yield* TestClock.setTime(Date.UTC(2026, 0, 10, 14, 59))
      const early = yield* Effect.flip(users.signUp(input({ loginId: "early", birthDate: "2026-01-11" })))
      expect(early).toMatchObject({ _tag: "InvalidInput", field: "birthDate" })
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("accepts passwords of exactly 8 and 72 characters, counting an emoji once", () =>
    Effect.gen(function* () {
      const users = yield* UserService
      yield* users.signUp(input({ loginId: "eight", password: "12345678" }))
      yield* users.signUp(input({ loginId: "seventytwo", password: "y".repeat(72) }))
      yield* users.signUp(input({ loginId: "emoji", password: `${"😀".repeat(8)}` }))
      const tooLong = yield* Effect.flip(users.signUp(input({ loginId: "emoji2", password: "😀".repeat(73) })))
      expect(tooLong).toMatchObject({ field: "password" })
      expect(yield* users.authenticate("emoji", "😀".repeat(8))).toMatchObject({ loginId: "emoji" })
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("refuses a taken login id with USER_ALREADY_EXISTS and changes nothing", () =>
    Effect.gen(function* () {
      const users = yield* UserService
      const first = yield* users.signUp(input())
      const error = yield* Effect.flip(users.signUp(input({ email: "other@example.com", password: "another pass" })))
      expect(error).toBeInstanceOf(UserAlreadyExists)
      expect(error).toMatchObject({ code: "USER_ALREADY_EXISTS", kind: "conflict" })
      expect(yield* users.findByLoginId("alice01")).toEqual(Option.some(first))
      expect(yield* users.authenticate("alice01", "correct horse")).toEqual(first)
      expect((yield* outboxEvents).map((e) => e._tag)).toEqual(["UserSignedUp"])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("lets exactly one of 200 racing sign-ups of one login id win", () =>
    Effect.gen(function* () {
      const users = yield* UserService
      const exits = yield* Effect.all(
        Array.from({ length: 200 }, (_, i) => Effect.exit(users.signUp(input({ email: `racer${i}@example.com` })))),
        { concurrency: "unbounded" },
      )
      const winners = exits.filter(Exit.isSuccess).map((exit) => exit.value)
      expect(winners).toHaveLength(1)
      const losers = yield* Effect.all(exits.filter(Exit.isFailure).map((exit) => Effect.flip(exit)))
      expect(losers.every((e) => e instanceof UserAlreadyExists)).toBe(true)
      expect(losers).toHaveLength(199)
      expect(yield* users.findByLoginId("alice01")).toEqual(Option.some(winners[0]))
      expect(yield* (yield* PointService).balance(winners[0]!.id)).toBe(0)
      expect((yield* outboxEvents).filter((e) => e._tag === "UserSignedUp")).toHaveLength(1)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("creates user and wallet in one transaction: a failing wallet leaves no user behind", () => {
    let walletOwner: UserId | undefined
    const failingWallets = Layer.effect(
      PointWalletRepository,
      Effect.map(PointWalletRepository, (wallets) =>
        PointWalletRepository.of({
          ...wallets,
          create: (userId, at) => {
            walletOwner = userId
            return Effect.zipRight(
              wallets.create(userId, at),
              Effect.fail(new PersistenceUnavailable({ reason: "wallet store failed" })),
            )
          },
        }),
      ),
    )
    const layer = UserServiceLive.pipe(
      Layer.provideMerge(failingWallets),
      Layer.provideMerge(makeCountingHasher().layer),
      Layer.provideMerge(infrastructure),
    )
    return Effect.gen(function* () {
      const users = yield* UserService
      const error = yield* Effect.flip(users.signUp(input()))
      expect(error).toBeInstanceOf(PersistenceUnavailable)
      expect(walletOwner).toBeDefined()
      expect(yield* users.findByLoginId("alice01")).toEqual(Option.none())
      expect(yield* (yield* PointWalletRepository).balance(walletOwner as UserId)).toEqual(Option.none())
      expect(yield* outboxEvents).toEqual([])
    }).pipe(Effect.provide(layer))
  })

  it.live("hashes before the transaction opens: other writes go through while a hash is running", () =>
    Effect.gen(function* () {
      const entered = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const gated = Layer.succeed(
        PasswordHasher,
        PasswordHasher.of({
          hash: (plain) =>
            Deferred.succeed(entered, undefined).pipe(
              Effect.zipRight(Deferred.await(release)),
              Effect.as(`gated$${plain}`),
            ),
          verify: (plain, hash) => Effect.succeed(hash === `gated$${plain}`),
        }),
      )
      yield* Effect.gen(function* () {
        const users = yield* UserService
        const slow = yield* Effect.fork(users.signUp(input()))
        yield* Deferred.await(entered)
        // Were the hash inside the transaction, the store would stay locked and this would time out.
        const other = yield* users
          .signUp(input({ loginId: "bob", password: undefined }))
          .pipe(Effect.timeout("2 seconds"))
        expect(other.loginId).toBe("bob")
        yield* Deferred.succeed(release, undefined)
        const alice = yield* Fiber.join(slow)
        expect(yield* users.authenticate("alice01", "correct horse")).toEqual(alice)
      }).pipe(Effect.provide(makeServices({ hasher: gated })))
    }),
  )
})

describe("UserService lookups", () => {
  it.effect("getById finds a user or fails with USER_NOT_FOUND", () =>
    Effect.gen(function* () {
      const users = yield* UserService
      const user = yield* users.signUp(input())
      expect(yield* users.getById(user.id)).toEqual(user)
      const missing = yield* Effect.flip(users.getById((user.id + 1) as UserId))
      expect(missing).toEqual(new UserNotFound({ userId: (user.id + 1) as UserId }))
      expect(missing).toMatchObject({ code: "USER_NOT_FOUND", kind: "not-found" })
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("findByLoginId answers none for unknown and malformed login ids", () =>
    Effect.gen(function* () {
      const users = yield* UserService
      const user = yield* users.signUp(input())
      expect(yield* users.findByLoginId("alice01")).toEqual(Option.some(user))
      expect(yield* users.findByLoginId("ALICE01")).toEqual(Option.none())
      expect(yield* users.findByLoginId("nobody")).toEqual(Option.none())
      expect(yield* users.findByLoginId("' OR 1=1 --")).toEqual(Option.none())
      expect(yield* users.findByLoginId("")).toEqual(Option.none())
    }).pipe(Effect.provide(makeServices())),
  )
})

describe("UserService.authenticate", () => {
  const { counts, layer } = makeCountingHasher()

  it.effect("returns the user for the right password", () =>
    Effect.gen(function* () {
      const users = yield* UserService
      const user = yield* users.signUp(input())
      expect(yield* users.authenticate("alice01", "correct horse")).toEqual(user)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("fails every wrong attempt with the same UNAUTHORIZED error, verifying a hash each time", () =>
    Effect.gen(function* () {
      const users = yield* UserService
      yield* users.signUp(input())
      yield* users.signUp(input({ loginId: "gateway", password: undefined }))
      const attempts: ReadonlyArray<readonly [string, string]> = [
        ["alice01", "wrong horse"],
        ["alice01", ""],
        ["ALICE01", "correct horse"],
        ["nobody", "correct horse"],
        ["bad id!", "correct horse"],
        ["gateway", "anything at all"],
      ]
      for (const [loginId, password] of attempts) {
        const before = counts.verify
        const error = yield* Effect.flip(users.authenticate(loginId, password))
        expect(error).toEqual(new InvalidCredentials())
        expect(error).toMatchObject({ code: "UNAUTHORIZED", kind: "unauthorized" })
        // Unknown users cost a verification too, so timing does not reveal which login ids exist.
        expect(counts.verify).toBe(before + 1)
      }
    }).pipe(Effect.provide(makeServices({ hasher: layer }))),
  )
})

describe("UserService with PasswordHasherScrypt", () => {
  it.live("signs up and authenticates with real scrypt hashes", () =>
    Effect.gen(function* () {
      const users = yield* UserService
      const user = yield* users.signUp(input())
      const hash = Option.getOrThrow(
        Option.getOrThrow(yield* (yield* UserRepository).findCredentials(LoginId.make("alice01"))).passwordHash,
      )
      expect(hash).toMatch(/^scrypt\$ln=14,r=8,p=1\$/)
      expect(yield* users.authenticate("alice01", "correct horse")).toEqual(user)
      expect(yield* Effect.flip(users.authenticate("alice01", "correct horsE"))).toBeInstanceOf(InvalidCredentials)
      expect(yield* Effect.flip(users.authenticate("nobody", "correct horse"))).toBeInstanceOf(InvalidCredentials)
    }).pipe(Effect.provide(makeServices({ hasher: PasswordHasherScrypt }))),
  )
})
