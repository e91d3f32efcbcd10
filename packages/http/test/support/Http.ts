import { expect } from "vitest"

export interface JsonResponse {
  readonly status: number
  readonly headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  readonly body: any
}

export interface RequestOptions {
  readonly body?: unknown
  /** Sent verbatim instead of JSON-encoding `body`. */
  readonly rawBody?: string
  readonly headers?: Record<string, string>
  readonly token?: string
}

/** A small JSON client for the server under test. */
export const makeClient = (baseUrl: string) => {
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<JsonResponse> => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
    let body: string | undefined
    if (options.rawBody !== undefined) body = options.rawBody
    else if (options.body !== undefined) body = JSON.stringify(options.body)
    if (body !== undefined) headers["content-type"] ??= "application/json"
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body ?? null })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text === "" ? undefined : JSON.parse(text)
    } catch {
      // non-JSON bodies (metrics, docs) stay text
    }
    return { status: response.status, headers: response.headers, body: parsed }
  }
  return {
    request,
    get: (path: string, options?: RequestOptions) => request("GET", path, options),
    post: (path: string, options?: RequestOptions) => request("POST", path, options),
    put: (path: string, options?: RequestOptions) => request("PUT", path, options),
    patch: (path: string, options?: RequestOptions) => request("PATCH", path, options),
    delete: (path: string, options?: RequestOptions) => request("DELETE", path, options),
  }
}

export type Client = ReturnType<typeof makeClient>

/** Asserts a success envelope with the status and returns its data. */
export const expectSuccess = (response: JsonResponse, status = 200) => {
  expect({ status: response.status, meta: response.body?.meta }).toEqual({
    status,
    meta: { result: "SUCCESS", errorCode: null, message: null },
  })
  return response.body.data
}

/** Asserts a failure envelope with the status and code; returns the message. */
export const expectFailure = (response: JsonResponse, status: number, errorCode: string): string => {
  expect({
    status: response.status,
    result: response.body?.meta?.result,
    errorCode: response.body?.meta?.errorCode,
  }).toEqual({
    status,
    result: "FAIL",
    errorCode,
  })
  expect(response.body.data).toBeNull()
  expect(typeof response.body.meta.message).toBe("string")
  return response.body.meta.message
}
