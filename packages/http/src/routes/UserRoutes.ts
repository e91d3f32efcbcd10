import {
  InvalidInput,
  type LedgerEntry,
  mapPage,
  PageRequest,
  PointService,
  type User,
  UserService,
} from "@commerce-core/domain"
import { Clock, Effect, Option, Schema } from "effect"
import type { RouteDeps } from "../app/AppBuilder.js"
import { issueToken } from "../auth/Tokens.js"
import { PageQuery } from "../routing/Fields.js"
import { route } from "../routing/Route.js"
import { Instant, iso, PageOf } from "./Dto.js"

const UserDto = Schema.Struct({
  id: Schema.Int,
  userId: Schema.String,
  email: Schema.String,
  gender: Schema.Literal("MALE", "FEMALE"),
  birthDate: Schema.String,
})

const toUserDto = (user: User) => ({
  id: user.id,
  userId: user.loginId,
  email: user.email,
  gender: user.gender,
  birthDate: user.birthDate,
})

const SignUpBody = Schema.Struct({
  userId: Schema.String.pipe(
    Schema.pattern(/^[a-zA-Z0-9]{1,10}$/, { message: () => "must be 1 to 10 letters or digits" }),
  ),
  email: Schema.String.pipe(Schema.maxLength(254)),
  gender: Schema.Literal("MALE", "FEMALE"),
  birthDate: Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => "must be yyyy-MM-dd" })),
  password: Schema.optional(Schema.String.pipe(Schema.maxLength(1000))),
})

const LoginBody = Schema.Struct({
  userId: Schema.String.pipe(Schema.maxLength(100)),
  password: Schema.String.pipe(Schema.maxLength(1000)),
})

const Balance = Schema.Struct({ totalPoint: Schema.Int })

const LedgerDto = Schema.Struct({
  type: Schema.Literal("CHARGE", "USE", "REFUND"),
  amount: Schema.Int,
  balanceAfter: Schema.Int,
  orderId: Schema.NullOr(Schema.Int),
  createdAt: Instant,
})

const toLedgerDto = (entry: LedgerEntry) => ({
  type: entry.type,
  amount: entry.amount,
  balanceAfter: entry.balanceAfter,
  orderId: Option.getOrNull(entry.orderId),
  createdAt: iso(entry.createdAt),
})

export const userRoutes = ({ config }: RouteDeps) => [
  route({
    method: "post",
    path: "/api/v1/users",
    tag: "users",
    summary: "Sign up (a password is required with token authentication)",
    access: "public",
    body: SignUpBody,
    response: UserDto,
    status: 201,
    handler: ({ body }) =>
      Effect.gen(function* () {
        if (config.authMode === "token" && body.password === undefined) {
          return yield* new InvalidInput({ field: "password", reason: "is required (8 to 72 characters)" })
        }
        const users = yield* UserService
        const user = yield* users.signUp({
          loginId: body.userId,
          email: body.email,
          gender: body.gender,
          birthDate: body.birthDate,
          password: config.authMode === "token" ? body.password : undefined,
        })
        return toUserDto(user)
      }),
  }),
  route({
    method: "post",
    path: "/api/v1/auth/login",
    tag: "users",
    summary: "Log in (AUTH_MODE=token): a signed, expiring access token",
    access: "public",
    body: LoginBody,
    response: Schema.Struct({ accessToken: Schema.String, expiresAt: Instant }),
    handler: ({ body }) =>
      Effect.gen(function* () {
        const users = yield* UserService
        const user = yield* users.authenticate(body.userId, body.password)
        const now = yield* Clock.currentTimeMillis
        return yield* Effect.promise(() =>
          issueToken(
            { secret: config.authSecret, ttlSeconds: config.tokenTtlSeconds },
            { id: user.id, loginId: user.loginId },
            now,
          ),
        )
      }),
  }),
  route({
    method: "get",
    path: "/api/v1/users/me",
    tag: "users",
    summary: "The caller",
    access: "user",
    response: UserDto,
    handler: ({ user }) =>
      Effect.map(
        Effect.flatMap(UserService, (users) => users.getById(user.id)),
        toUserDto,
      ),
  }),
  route({
    method: "get",
    path: "/api/v1/points",
    tag: "points",
    summary: "The caller's point balance",
    access: "user",
    response: Balance,
    handler: ({ user }) =>
      Effect.map(
        Effect.flatMap(PointService, (points) => points.balance(user.id)),
        (totalPoint) => ({ totalPoint }),
      ),
  }),
  route({
    method: "post",
    path: "/api/v1/points/charge",
    tag: "points",
    summary: "Charges points (Idempotency-Key replays the first result)",
    access: "user",
    idempotent: true,
    body: Schema.Struct({ reqPoint: Schema.Int.pipe(Schema.between(1, Number.MAX_SAFE_INTEGER)) }),
    response: Balance,
    handler: ({ user, body }) =>
      Effect.map(
        Effect.flatMap(PointService, (points) => points.charge({ userId: user.id, amount: body.reqPoint })),
        (entry) => ({ totalPoint: entry.balanceAfter }),
      ),
  }),
  route({
    method: "get",
    path: "/api/v1/points/history",
    tag: "points",
    summary: "The caller's point ledger, newest first",
    access: "user",
    query: PageQuery,
    response: PageOf(LedgerDto),
    handler: ({ user, query }) =>
      Effect.map(
        Effect.flatMap(PointService, (points) => points.history(user.id, PageRequest.make(query))),
        (page) => mapPage(page, toLedgerDto),
      ),
  }),
]

/** AUTH_MODE=gateway: the user a trusted X-USER-ID names. */
export const resolveGatewayUser = (loginId: string) =>
  Effect.map(
    Effect.flatMap(UserService, (users) => users.findByLoginId(loginId)),
    Option.map((user) => ({ id: user.id, loginId: user.loginId })),
  )
