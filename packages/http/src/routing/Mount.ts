import type { IdempotencyStore } from "@commerce-core/domain"
import { isCodedError } from "@commerce-core/domain"
import { Cause, Effect, Either, type Exit, LogLevel, type ManagedRuntime, Option } from "effect"
import type { Context, Hono } from "hono"
import { success } from "../envelope/Envelope.js"
import { type ErrorResponse, errorResponse, fromCodedError, internalError } from "../envelope/ErrorStatus.js"
import {
  fingerprintOf,
  type IdempotencySettings,
  type Outcome,
  validateKey,
  withIdempotency,
} from "../idempotency/Idempotency.js"
import type { LineWriter } from "../observability/JsonLogger.js"
import { type CachedDecoder, cachedDecoder, type Decoder, makeDecoder, parseJsonBody } from "./Decode.js"
import type { AuthUser, Route } from "./Route.js"
import type { EffectRunner } from "./RunEffect.js"

export interface AppVariables {
  requestId: string
  /** The route's documented path, the metrics label (`unmatched` when no route answered). */
  route: string
}

export type AppEnv = { Variables: AppVariables }

export interface MountContext<R> {
  readonly runtime: ManagedRuntime.ManagedRuntime<R | IdempotencyStore, unknown>
  /** The caller, undefined for missing or invalid credentials, or an error when they cannot be checked. */
  readonly authenticate: (c: Context<AppEnv>) => Promise<AuthUser | ErrorResponse | undefined>
  readonly isAdmin: (presentedKey: string | undefined) => boolean
  readonly idempotency: IdempotencySettings
  readonly write: LineWriter
  /** Runs a request's effect on `runtime`, its logs annotated with the request id. */
  readonly run: EffectRunner<R | IdempotencyStore>
}

const unauthorized = errorResponse(401, "UNAUTHORIZED", "Missing or invalid credentials")
const adminUnauthorized = errorResponse(401, "UNAUTHORIZED", "Missing or invalid X-ADMIN-KEY")

const honoPath = (path: string) => path.replace(/\{(\w+)\}/g, ":$1")

const toOutcome = (response: ErrorResponse): Outcome => ({ status: response.status, body: response.body })

const respond = (c: Context<AppEnv>, outcome: Outcome) => {
  if (outcome.replayed) c.header("Idempotent-Replayed", "true")
  return c.json(outcome.body as object, outcome.status as 200)
}

const decodeWith = (decoder: Decoder | undefined, input: () => unknown) =>
  decoder === undefined ? Either.right(undefined) : decoder(input())

const noInput = Either.right(undefined)

const decodeCached = (decoder: CachedDecoder | undefined, key: () => string, input: () => unknown) =>
  decoder === undefined ? noInput : decoder(key(), input)

/** The raw query string (`?a=1&b=2`, or "" without one): what `c.req.query()` is a function of. */
const rawQuery = (url: string) => {
  const start = url.indexOf("?")
  return start < 0 ? "" : url.slice(start)
}

/** Registers one route: authenticate, decode, run the handler on the runtime, answer in the envelope. */
export const mountRoute = <R>(app: Hono<AppEnv>, route: Route<R>, ctx: MountContext<R>) => {
  const decodeParams = route.params && cachedDecoder(makeDecoder("path", route.params))
  const decodeQuery = route.query && cachedDecoder(makeDecoder("query", route.query))
  const decodeBody = route.body && makeDecoder("body", route.body)

  // Turns the handler's exit into a response in plain code: fewer combinators per request.
  const outcomeOf = (exit: Exit.Exit<unknown, unknown>, requestId: string): Outcome => {
    if (exit._tag === "Success") return { status: route.status, body: success(exit.value) }
    const failed = Cause.failureOption(exit.cause)
    if (Option.isSome(failed) && isCodedError(failed.value)) return toOutcome(fromCodedError(failed.value))
    ctx.write(LogLevel.Error, "request failed unexpectedly", { requestId, cause: Cause.pretty(exit.cause) })
    return toOutcome(internalError)
  }

  const run = ctx.run

  app.on(route.method.toUpperCase(), honoPath(route.path), async (c) => {
    c.set("route", route.path)
    const requestId = c.get("requestId")

    let user: AuthUser | undefined
    if (route.access === "user") {
      const authenticated = await ctx.authenticate(c)
      if (authenticated === undefined) return respond(c, toOutcome(unauthorized))
      if ("status" in authenticated) return respond(c, toOutcome(authenticated))
      user = authenticated
    } else if (route.access === "admin" && !ctx.isAdmin(c.req.header("x-admin-key"))) {
      return respond(c, toOutcome(adminUnauthorized))
    }

    const params = decodeCached(
      decodeParams,
      () => c.req.path,
      () => c.req.param(),
    )
    if (Either.isLeft(params)) return respond(c, toOutcome(params.left))
    const query = decodeCached(
      decodeQuery,
      () => rawQuery(c.req.url),
      () => c.req.query(),
    )
    if (Either.isLeft(query)) return respond(c, toOutcome(query.left))
    let rawBody: unknown
    if (decodeBody !== undefined) {
      const parsed = parseJsonBody(await c.req.text())
      if (Either.isLeft(parsed)) return respond(c, toOutcome(parsed.left))
      rawBody = parsed.right
    }
    const body = decodeWith(decodeBody, () => rawBody)
    if (Either.isLeft(body)) return respond(c, toOutcome(body.left))

    const handled = route.handler({ params: params.right, query: query.right, body: body.right, user, requestId })

    const keyHeader = route.idempotent ? c.req.header("idempotency-key") : undefined
    if (keyHeader === undefined || user === undefined) {
      return respond(c, outcomeOf(await run(handled, requestId), requestId))
    }
    const key = validateKey(keyHeader)
    if (Either.isLeft(key)) return respond(c, toOutcome(key.left))
    const fingerprint = fingerprintOf(route.method, c.req.path, rawBody)
    const execute = Effect.map(Effect.exit(handled), (exit) => outcomeOf(exit, requestId))
    const exit = await run(
      withIdempotency(ctx.idempotency, { owner: String(user.id), key: key.right, fingerprint }, execute),
      requestId,
    )
    return respond(c, exit._tag === "Success" ? exit.value : outcomeOf(exit, requestId))
  })
}
