import { Schema } from "effect"

/** The body of every /api/** response: `meta` says how it went, `data` carries the result. */
export interface SuccessEnvelope<A> {
  readonly meta: { readonly result: "SUCCESS"; readonly errorCode: null; readonly message: null }
  readonly data: A
}

export interface FailureEnvelope {
  readonly meta: { readonly result: "FAIL"; readonly errorCode: string; readonly message: string }
  readonly data: null
}

const successMeta = { result: "SUCCESS", errorCode: null, message: null } as const

export const success = <A>(data: A): SuccessEnvelope<A> => ({ meta: successMeta, data })

export const failure = (errorCode: string, message: string): FailureEnvelope => ({
  meta: { result: "FAIL", errorCode, message },
  data: null,
})

/** The envelope around a data schema, for the OpenAPI document. */
export const SuccessEnvelopeSchema = <A, I>(data: Schema.Schema<A, I>) =>
  Schema.Struct({
    meta: Schema.Struct({ result: Schema.Literal("SUCCESS"), errorCode: Schema.Null, message: Schema.Null }),
    data,
  })

export const FailureEnvelopeSchema = Schema.Struct({
  meta: Schema.Struct({ result: Schema.Literal("FAIL"), errorCode: Schema.String, message: Schema.String }),
  data: Schema.Null,
}).annotations({ identifier: "Failure" })
