import type { CodedError, ErrorKind } from "@commerce-core/domain"
import { Cause, Option } from "effect"
import { type FailureEnvelope, failure } from "./Envelope.js"

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 500 | 503

/** The only place that turns the domain's error kinds into HTTP statuses. */
const statusOfKind: Record<ErrorKind, ErrorStatus> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  unavailable: 503,
}

/** Codes whose status is more specific than their kind's. */
const statusOfCode: Partial<Record<string, ErrorStatus>> = {
  IDEMPOTENCY_KEY_REUSED: 422,
}

export interface ErrorResponse {
  readonly status: ErrorStatus
  readonly body: FailureEnvelope
}

export const fromCodedError = (error: CodedError): ErrorResponse => ({
  status: statusOfCode[error.code] ?? statusOfKind[error.kind] ?? 500,
  body: failure(error.code, error.message),
})

export const errorResponse = (status: ErrorStatus, code: string, message: string): ErrorResponse => ({
  status,
  body: failure(code, message),
})

export const internalError = errorResponse(500, "INTERNAL_ERROR", "Unexpected error")

/** A failed request's cause as a response: its domain error, else 500 without internals. */
export const fromCause = (cause: Cause.Cause<unknown>, isCoded: (u: unknown) => u is CodedError): ErrorResponse => {
  const failed = Cause.failureOption(cause)
  if (Option.isSome(failed) && isCoded(failed.value)) return fromCodedError(failed.value)
  return internalError
}
