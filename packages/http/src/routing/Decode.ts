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

/** Entries a route's decode cache holds before it starts over; keys are capped in length too. */
export const DECODE_CACHE_ENTRIES = 512
const MAX_KEY_LENGTH = 256

export type CachedDecoder = (key: string, input: () => unknown) => Either.Either<unknown, ErrorResponse>

/**
 * Path and query decoding is a pure function of the raw path or query string, and most
 * traffic repeats a few of them (a product page, the first page of a listing), so their
 * results are remembered: a Schema decode costs far more than a map lookup. Decoded plain
 * objects are frozen because one result is shared by many requests. The cache is bounded:
 * when full it starts over, so hostile input cannot grow it.
 */
export const cachedDecoder = (decode: Decoder, entries = DECODE_CACHE_ENTRIES): CachedDecoder => {
  let cache = new Map<string, Either.Either<unknown, ErrorResponse>>()
  return (key, input) => {
    const known = cache.get(key)
    if (known !== undefined) return known
    const decoded = decode(input())
    if (key.length > MAX_KEY_LENGTH) return decoded
    if (Either.isRight(decoded) && isPlainObject(decoded.right)) Object.freeze(decoded.right)
    if (cache.size >= entries) cache = new Map()
    cache.set(key, decoded)
    return decoded
  }
}

const isPlainObject = (value: unknown): value is object =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype
