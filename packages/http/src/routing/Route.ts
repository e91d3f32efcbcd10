import type { UserId } from "@commerce-core/domain"
import type { Effect, Schema } from "effect"

export type Method = "get" | "post" | "put" | "patch" | "delete"

/** Who may call a route: anyone, an authenticated user, or an operator with the admin key. */
export type Access = "public" | "user" | "admin"

/** The caller of a user route, as established by the authenticator. */
export interface AuthUser {
  readonly id: UserId
  readonly loginId: string
}

export interface RouteInput<P, Q, B, U> {
  readonly params: P
  readonly query: Q
  readonly body: B
  readonly user: U
  readonly requestId: string
}

type AnySchema = Schema.Schema.AnyNoContext
type Absent = Schema.Schema<undefined>

export interface RouteSpec<
  PS extends AnySchema,
  QS extends AnySchema,
  BS extends AnySchema,
  RS extends AnySchema,
  E,
  R,
  X extends Access,
> {
  readonly method: Method
  /** OpenAPI-style path: `/api/v1/products/{productId}`. */
  readonly path: string
  readonly tag: string
  readonly summary: string
  readonly access: X
  /** Path parameters; decode from strings. */
  readonly params?: PS
  /** Query string; decodes from strings. */
  readonly query?: QS
  /** JSON body. */
  readonly body?: BS
  /** `data` of a successful response; the handler returns its encoded (JSON-ready) form. */
  readonly response: RS
  readonly status?: 200 | 201
  /** Honour the `Idempotency-Key` header (user routes only). */
  readonly idempotent?: boolean
  readonly handler: (
    input: RouteInput<
      Schema.Schema.Type<PS>,
      Schema.Schema.Type<QS>,
      Schema.Schema.Type<BS>,
      X extends "user" ? AuthUser : undefined
    >,
  ) => Effect.Effect<Schema.Schema.Encoded<RS>, E, R>
}

/** A route with its types erased, ready to mount and to document. */
export interface Route<R> {
  readonly method: Method
  readonly path: string
  readonly tag: string
  readonly summary: string
  readonly access: Access
  readonly params: AnySchema | undefined
  readonly query: AnySchema | undefined
  readonly body: AnySchema | undefined
  readonly response: AnySchema
  readonly status: 200 | 201
  readonly idempotent: boolean
  readonly handler: (
    input: RouteInput<unknown, unknown, unknown, AuthUser | undefined>,
  ) => Effect.Effect<unknown, unknown, R>
}

export const route = <
  X extends Access,
  RS extends AnySchema,
  E,
  R,
  PS extends AnySchema = Absent,
  QS extends AnySchema = Absent,
  BS extends AnySchema = Absent,
>(
  spec: RouteSpec<PS, QS, BS, RS, E, R, X>,
): Route<R> => ({
  method: spec.method,
  path: spec.path,
  tag: spec.tag,
  summary: spec.summary,
  access: spec.access,
  params: spec.params,
  query: spec.query,
  body: spec.body,
  response: spec.response,
  status: spec.status ?? 200,
  idempotent: spec.idempotent ?? false,
  handler: spec.handler as unknown as Route<R>["handler"],
})
