import { Cause, HashMap, Layer, Logger, LogLevel } from "effect"

/** Where log lines go: one JSON object per line. */
export type LogSink = (line: string) => void

export const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`)
}

export type Fields = Record<string, unknown>

/** Writes one JSON line `{time, level, message, ...fields}` when `level` passes the minimum. */
export const makeLineWriter = (sink: LogSink, minimum: LogLevel.LogLevel) => {
  return (level: LogLevel.LogLevel, message: string, fields: Fields = {}) => {
    if (LogLevel.lessThan(level, minimum)) return
    sink(JSON.stringify({ time: new Date().toISOString(), level: level.label.toLowerCase(), message, ...fields }))
  }
}

export type LineWriter = ReturnType<typeof makeLineWriter>

const messageText = (message: unknown): string => {
  const parts = Array.isArray(message) ? message : [message]
  return parts.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(" ")
}

/**
 * Effect's logger replaced by JSON lines in the same shape as the access log; annotations
 * (the request id among them) become fields of every line logged inside a request.
 */
export const jsonLoggerLayer = (write: LineWriter, minimum: LogLevel.LogLevel) =>
  Layer.merge(
    Logger.replace(
      Logger.defaultLogger,
      Logger.make(({ logLevel, message, annotations, cause }) => {
        const fields: Fields = {}
        for (const [key, value] of HashMap.toEntries(annotations)) fields[key] = value
        if (!Cause.isEmpty(cause)) fields.cause = Cause.pretty(cause)
        write(logLevel, messageText(message), fields)
      }),
    ),
    Logger.minimumLogLevel(minimum),
  )
