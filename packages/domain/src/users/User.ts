import { Schema } from "effect"
import { UserId } from "../shared/Ids.js"
import { isValidIsoDate } from "../shared/SeoulCalendar.js"

/** The login id users sign in with (the API calls it `userId`); matched case-sensitively. */
export const LoginId = Schema.String.pipe(Schema.pattern(/^[a-zA-Z0-9]{1,10}$/), Schema.brand("LoginId"))
export type LoginId = typeof LoginId.Type

/** A pragmatic address check: one `@`, a dotted domain, no spaces, at most 254 characters. */
const emailPattern =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/

export const Email = Schema.String.pipe(
  Schema.maxLength(254),
  Schema.pattern(emailPattern),
  Schema.filter((s) => !s.startsWith(".") && !s.includes("..") && !s.includes(".@")),
  Schema.brand("Email"),
)
export type Email = typeof Email.Type

export const Gender = Schema.Literal("MALE", "FEMALE")
export type Gender = typeof Gender.Type

/** A real calendar date written `yyyy-MM-dd` (whether it is in the future depends on `now`). */
export const BirthDate = Schema.String.pipe(Schema.filter(isValidIsoDate), Schema.brand("BirthDate"))
export type BirthDate = typeof BirthDate.Type

/** A registered user. The password hash is never part of it: only the repository sees it. */
export class User extends Schema.Class<User>("User")({
  id: UserId,
  loginId: LoginId,
  email: Email,
  gender: Gender,
  birthDate: BirthDate,
  createdAt: Schema.Date,
}) {}
