import { Either, ParseResult, Schema } from "effect"
import { type ErrorResponse, errorResponse } from "../envelope/ErrorStatus.js"

export type InputPart = "path" | "query" | "body"

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`),
    "",
  )

/** `items[0].quantity: Expected ...`: the first problem, naming the field it is about. */
export const describeParseError = (part: InputPart, error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  if (first === undefined) return `${part}: invalid`
  const field = formatPath(first.path)
  return `${field === "" ? part : field}: ${first.message}`
}

export type Decoder = (input: unknown) => Either.Either<unknown, ErrorResponse>

/** A decoder that answers 400 BAD_REQUEST naming the offending field. */
export const makeDecoder = (part: InputPart, schema: Schema.Schema.AnyNoContext): Decoder => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "ignore" })
  return (input) =>
    Either.mapLeft(decode(input), (error) => errorResponse(400, "BAD_REQUEST", describeParseError(part, error)))
}

export const MAX_BODY_DEPTH = 32

/** True when arrays and objects nest deeper than `limit`; iterative, so hostile input cannot overflow the stack. */
const nestsDeeperThan = (value: unknown, limit: number): boolean => {
  const stack: Array<[unknown, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (current === null || typeof current !== "object") continue
    if (depth >= limit) return true
    for (const child of Object.values(current)) stack.push([child, depth + 1])
  }
  return false
}

/**
 * Parses a JSON body; an empty body is `undefined` so that a schema can say what is missing.
 * Deeply nested documents are refused before any recursive decoding sees them.
 */
export const parseJsonBody = (text: string): Either.Either<unknown, ErrorResponse> => {
  if (text.trim() === "") return Either.right(undefined)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return Either.left(errorResponse(400, "BAD_REQUEST", "body: malformed JSON"))
  }
  return nestsDeeperThan(parsed, MAX_BODY_DEPTH)
    ? Either.left(errorResponse(400, "BAD_REQUEST", `body: nested deeper than ${MAX_BODY_DEPTH} levels`))
    : Either.right(parsed)
}
