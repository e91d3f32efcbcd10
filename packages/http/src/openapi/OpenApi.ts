import { SchemaAST as AST, JSONSchema, type Schema } from "effect"
import { FailureEnvelopeSchema, SuccessEnvelopeSchema } from "../envelope/Envelope.js"
import type { Route } from "../routing/Route.js"

type JsonObject = Record<string, unknown>

export interface OpenApiInfo {
  readonly title: string
  readonly version: string
  readonly description?: string
}

/** An optional field's type is `T | undefined`; a parameter documents `T`. */
const withoutUndefined = (ast: AST.AST): AST.AST => {
  if (!AST.isUnion(ast)) return ast
  const defined = ast.types.filter((member) => !AST.isUndefinedKeyword(member))
  return defined.length === 1 ? defined[0]! : AST.Union.make(defined)
}

const errorStatuses = (route: Route<unknown>): Array<string> => {
  const statuses = ["400"]
  if (route.access === "user" || route.access === "admin") statuses.push("401")
  if (route.params !== undefined) statuses.push("404")
  if (route.method !== "get") statuses.push("409")
  if (route.idempotent) statuses.push("422")
  statuses.push("503")
  return statuses
}

/**
 * The OpenAPI 3.1 document of a set of routes, generated from the very schemas that decode
 * their requests. Path and query parameters are documented by their decoded type (what the
 * text must denote) and are required unless their schema makes them optional.
 */
export const makeOpenApi = (info: OpenApiInfo, routes: ReadonlyArray<Route<unknown>>): JsonObject => {
  const definitions: Record<string, JSONSchema.JsonSchema7> = {}
  const jsonSchema = (ast: AST.AST) =>
    JSONSchema.fromAST(ast, {
      definitions,
      definitionPath: "#/components/schemas/",
      target: "openApi3.1",
      // requests may carry fields a route does not read; they are ignored, not refused
      additionalPropertiesStrategy: "allow",
    })

  const parameters = (where: "path" | "query", schema: Schema.Schema.AnyNoContext | undefined) => {
    if (schema === undefined) return []
    const typed = new Map(AST.getPropertySignatures(AST.typeAST(schema.ast)).map((ps) => [ps.name, ps]))
    return AST.getPropertySignatures(AST.encodedAST(schema.ast)).map((ps) => {
      const typeSide = typed.get(ps.name)
      return {
        name: String(ps.name),
        in: where,
        required: where === "path" || !ps.isOptional,
        schema: jsonSchema(withoutUndefined(typeSide ? typeSide.type : ps.type)),
      }
    })
  }

  const paths: Record<string, Record<string, JsonObject>> = {}
  for (const route of routes) {
    const responses: JsonObject = {
      [String(route.status)]: {
        description: "Success",
        content: { "application/json": { schema: jsonSchema(SuccessEnvelopeSchema(route.response).ast) } },
      },
    }
    for (const status of errorStatuses(route)) {
      responses[status] = {
        description: "Failure",
        content: { "application/json": { schema: jsonSchema(FailureEnvelopeSchema.ast) } },
      }
    }
    const headers = route.idempotent
      ? [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 200 } }]
      : []
    const operation: JsonObject = {
      tags: [route.tag],
      summary: route.summary,
      operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase())}`,
      parameters: [...parameters("path", route.params), ...parameters("query", route.query), ...headers],
      responses,
    }
    if (route.body !== undefined) {
      operation.requestBody = {
        required: true,
        content: { "application/json": { schema: jsonSchema(route.body.ast) } },
      }
    }
    if (route.access === "user") operation.security = [{ bearerAuth: [] }, { gatewayUser: [] }]
    if (route.access === "admin") operation.security = [{ adminKey: [] }]
    const byMethod = paths[route.path] ?? {}
    byMethod[route.method] = operation
    paths[route.path] = byMethod
  }

  return {
    openapi: "3.1.0",
    info,
    paths,
    components: {
      schemas: definitions,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "AUTH_MODE=token" },
        gatewayUser: { type: "apiKey", in: "header", name: "X-USER-ID", description: "AUTH_MODE=gateway" },
        adminKey: { type: "apiKey", in: "header", name: "X-ADMIN-KEY" },
      },
    },
  }
}
