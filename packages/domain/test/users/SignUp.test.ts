import { fc, test } from "@fast-check/vitest"
import { Either, Option, Schema } from "effect"
import { describe, expect } from "vitest"
import { InvalidInput, SeoulCalendar, type SignUpInput, User, validateSignUp } from "../../src/index.js"

const TODAY = "2026-01-10"

const valid: SignUpInput = {
  loginId: "alice01",
  email: "alice@example.com",
  gender: "MALE",
  birthDate: "1990-01-01",
  password: "password1",
}

const fieldOf = (input: SignUpInput, today = TODAY) =>
  Either.match(validateSignUp(input, today), { onLeft: (e) => e.field, onRight: () => undefined })

const loginIdArb = fc.stringMatching(/^[a-zA-Z0-9]{1,10}$/)
const dayArb = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 11, 31) }).map(SeoulCalendar.isoDate)

describe("validateSignUp", () => {
  test("accepts a complete valid input and keeps the password to hash", () => {
    const result = Either.getOrThrow(validateSignUp(valid, TODAY))
    expect(result).toEqual({ ...valid, password: Option.some("password1") })
    expect(Option.isNone(Either.getOrThrow(validateSignUp({ ...valid, password: undefined }, TODAY)).password)).toBe(
      true,
    )
  })

  test.prop([loginIdArb])("accepts every login id of 1 to 10 ASCII letters and digits", (loginId) => {
    expect(fieldOf({ ...valid, loginId })).toBeUndefined()
  })

  test.prop([fc.string({ maxLength: 20, unit: "grapheme" }).filter((s) => !/^[a-zA-Z0-9]{1,10}$/.test(s))])(
    "rejects every other login id as invalid loginId",
    (loginId) => {
      const error = validateSignUp({ ...valid, loginId }, TODAY)
      expect(Either.isLeft(error) && error.left).toBeInstanceOf(InvalidInput)
      expect(fieldOf({ ...valid, loginId })).toBe("loginId")
    },
  )

  test.prop([fc.emailAddress().filter((e) => e.length <= 254)])("accepts generated email addresses", (email) => {
    expect(fieldOf({ ...valid, email })).toBeUndefined()
  })

  test.each([
    "",
    "plain",
    "@example.com",
    "alice@",
    "alice@example",
    "alice@@example.com",
    "al ice@example.com",
    "alice@exa mple.com",
    ".alice@example.com",
    "al..ice@example.com",
    "alice.@example.com",
    "alice@-example.com",
    "alice@example..com",
    `${"a".repeat(250)}@example.com`,
  ])("rejects the email %j", (email) => {
    expect(fieldOf({ ...valid, email })).toBe("email")
  })

  test.each(["", "male", "Female", "OTHER", " MALE"])("rejects the gender %j", (gender) => {
    expect(fieldOf({ ...valid, gender })).toBe("gender")
  })

  test.each(["19900101", "1990-1-01", "1990-02-30", "2023-02-29", "1990-00-10", "1990-13-01", "1990-01-32", ""])(
    "rejects the birth date %j",
    (birthDate) => {
      expect(fieldOf({ ...valid, birthDate })).toBe("birthDate")
    },
  )

  test.prop([dayArb, dayArb])("accepts a birth date exactly when it is not after today", (birthDate, today) => {
    expect(fieldOf({ ...valid, birthDate }, today)).toBe(birthDate <= today ? undefined : "birthDate")
  })

  test.prop([fc.integer({ min: 0, max: 100 })])("accepts passwords of 8 to 72 characters only", (length) => {
    const field = fieldOf({ ...valid, password: "p".repeat(length) })
    expect(field).toBe(length >= 8 && length <= 72 ? undefined : "password")
  })

  test("counts characters, not UTF-16 units: 72 emoji pass, 7 do not", () => {
    expect(fieldOf({ ...valid, password: "🔒".repeat(72) })).toBeUndefined()
    expect(fieldOf({ ...valid, password: "🔒".repeat(7) })).toBe("password")
  })

  test("reports the first broken field in a fixed order", () => {
    const allBad = { loginId: "!", email: "x", gender: "X", birthDate: "x", password: "short" }
    expect(fieldOf(allBad)).toBe("loginId")
    expect(fieldOf({ ...allBad, loginId: "ok" })).toBe("email")
    expect(fieldOf({ ...allBad, loginId: "ok", email: "a@b.co" })).toBe("gender")
    expect(fieldOf({ ...allBad, loginId: "ok", email: "a@b.co", gender: "FEMALE" })).toBe("birthDate")
    expect(fieldOf({ ...valid, password: "short" })).toBe("password")
  })

  test("never throws on values of the wrong type", () => {
    const hostile = {
      loginId: 42,
      email: null,
      gender: {},
      birthDate: [],
      password: 12345678,
    } as unknown as SignUpInput
    expect(fieldOf(hostile)).toBe("loginId")
    expect(fieldOf({ ...valid, password: 12345678 as unknown as string })).toBe("password")
  })
})

describe("User", () => {
  test("encodes to JSON-friendly fields and decodes back", () => {
    const user = new User({
      id: 7 as User["id"],
      loginId: "bob" as User["loginId"],
      email: "bob@example.com" as User["email"],
      gender: "MALE",
      birthDate: "1980-05-05" as User["birthDate"],
      createdAt: new Date("2026-01-10T00:00:00.000Z"),
    })
    const encoded = Schema.encodeSync(User)(user)
    expect(encoded).toEqual({ ...encoded, createdAt: "2026-01-10T00:00:00.000Z", loginId: "bob" })
    expect(Schema.decodeUnknownSync(User)(encoded)).toEqual(user)
    expect(() => Schema.decodeUnknownSync(User)({ ...encoded, loginId: "bad id" })).toThrow()
    expect(() => Schema.decodeUnknownSync(User)({ ...encoded, birthDate: "1980-02-30" })).toThrow()
  })
})
