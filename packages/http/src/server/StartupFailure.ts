import { Cause, Chunk, ConfigError } from "effect"
import { describeConfigError } from "../config/HttpConfig.js"

const lineOf = (value: unknown): string => {
  if (typeof value === "object" && value !== null) {
    const { _tag, reason, message } = value as { _tag?: unknown; reason?: unknown; message?: unknown }
    if (typeof reason === "string") return typeof _tag === "string" ? `${_tag}: ${reason}` : reason
    if (typeof message === "string" && message !== "") return typeof _tag === "string" ? `${_tag}: ${message}` : message
  }
  return String(value)
}

/**
 * One line per failure of a layer at start-up (a bad variable, an unreachable engine), never
 * a stack trace: the operator needs the reason, not the call site.
 */
export const describeStartupFailure = (cause: Cause.Cause<unknown>): Array<string> => {
  const failures = Chunk.toArray(Cause.failures(cause)).flatMap((e) =>
    ConfigError.isConfigError(e) ? describeConfigError(e) : [lineOf(e)],
  )
  const defects = Chunk.toArray(Cause.defects(cause)).map(lineOf)
  const lines = Array.from(new Set([...failures, ...defects]))
  if (lines.length > 0) return lines
  return Cause.isInterruptedOnly(cause) ? ["interrupted"] : [Cause.pretty(cause).split("\n")[0] ?? "unknown failure"]
}
