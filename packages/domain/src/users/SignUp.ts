import { Either, Option, Schema } from "effect"
import { InvalidInput } from "../shared/DomainError.js"
import { BirthDate, Email, Gender, LoginId } from "./User.js"

/** Raw sign-up fields as a transport received them; every one is checked by `validateSignUp`. */
export interface SignUpInput {
  readonly loginId: string
  readonly email: string
  readonly gender: string
  readonly birthDate: string
  /** Required by token authentication (the transport enforces that); absent behind a gateway. */
  readonly password?: string | undefined
}

export interface ValidSignUp {
  readonly loginId: LoginId
  readonly email: Email
  readonly gender: Gender
  readonly birthDate: BirthDate
  readonly password: Option.Option<string>
}

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 72

const isLoginId = Schema.is(LoginId)
const isEmail = Schema.is(Email)
const isGender = Schema.is(Gender)
const isBirthDate = Schema.is(BirthDate)

const invalid = (field: string, reason: string) => Either.left(new InvalidInput({ field, reason }))

/** Length in characters (code points), so that one emoji counts once. */
const charLength = (s: string) => Array.from(s).length

/**
 * Checks sign-up fields in a fixed order and reports the first broken one. `today` is the
 * Seoul calendar date (`yyyy-MM-dd`) of now: a birth date after it is in the future.
 */
export const validateSignUp = (input: SignUpInput, today: string): Either.Either<ValidSignUp, InvalidInput> => {
  const { loginId, email, gender, birthDate, password } = input
  if (!isLoginId(loginId)) return invalid("loginId", "must be 1 to 10 letters or digits")
  if (!isEmail(email)) return invalid("email", "must be a valid email address")
  if (!isGender(gender)) return invalid("gender", "must be MALE or FEMALE")
  if (!isBirthDate(birthDate)) return invalid("birthDate", "must be a real date written yyyy-MM-dd")
  if (birthDate > today) return invalid("birthDate", "must not be in the future")
  if (password !== undefined) {
    const length = typeof password === "string" ? charLength(password) : -1
    if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
      return invalid("password", `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`)
    }
  }
  return Either.right({
    loginId,
    email,
    gender,
    birthDate,
    password: Option.fromNullable(password),
  })
}
