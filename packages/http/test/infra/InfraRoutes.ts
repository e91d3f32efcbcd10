import { InvalidInput, UserId } from "@commerce-core/domain"
import { Effect, Ref, Schema } from "effect"
import { idParam, PageQuery } from "../../src/routing/Fields.js"
import { route } from "../../src/routing/Route.js"

/** Routes that exercise the infrastructure only (no domain services): a counter and a few failures. */
export const makeInfraRoutes = (counter: Ref.Ref<number>) => [
  route({
    method: "post",
    path: "/api/test/counter",
    tag: "test",
    summary: "Adds to a shared counter, slowly",
    access: "user",
    idempotent: true,
    body: Schema.Struct({
      amount: Schema.Int.pipe(Schema.between(1, 100)),
      kind: Schema.optionalWith(Schema.Literal("A", "B"), { default: () => "A" as const }),
      delayMillis: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 2000)), { default: () => 0 }),
    }),
    response: Schema.Struct({ total: Schema.Number, user: Schema.Number }),
    status: 201,
    handler: ({ body, user }) =>
      Effect.gen(function* () {
        yield* Effect.sleep(body.delayMillis)
        if (body.kind === "B") return yield* new InvalidInput({ field: "kind", reason: "B is refused by the domain" })
        const total = yield* Ref.updateAndGet(counter, (n) => n + body.amount)
        return { total, user: user.id }
      }),
  }),
  route({
    method: "get",
    path: "/api/test/items/{itemId}",
    tag: "test",
    summary: "Echoes a path id and paging",
    access: "public",
    params: Schema.Struct({ itemId: idParam(UserId) }),
    query: PageQuery,
    response: Schema.Struct({ itemId: Schema.Number, page: Schema.Number, size: Schema.Number }),
    handler: ({ params, query }) => Effect.succeed({ itemId: params.itemId, page: query.page, size: query.size }),
  }),
  route({
    method: "get",
    path: "/api/test/admin",
    tag: "test",
    summary: "Admin only",
    access: "admin",
    response: Schema.Struct({ ok: Schema.Boolean }),
    handler: () => Effect.succeed({ ok: true }),
  }),
  route({
    method: "get",
    path: "/api/test/defect",
    tag: "test",
    summary: "Dies",
    access: "public",
    response: Schema.Struct({}),
    handler: () => Effect.die(new Error("secret internals")),
  }),
]
