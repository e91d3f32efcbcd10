import { LogLevel } from "effect"
import { startEmbedded } from "./server/StartEmbedded.js"

const started = await startEmbedded(process.env)
if (started._tag === "Failed") {
  process.stderr.write(`${started.heading}:\n${started.lines.map((line) => `  ${line}\n`).join("")}`)
  process.exit(1)
}
const { app, server, config } = started

let stopping = false
const stop = (signal: string) => {
  if (stopping) return
  stopping = true
  app.write(LogLevel.Info, "shutting down", { signal })
  server.close(config.shutdownTimeoutMillis).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`Shutdown failed: ${String(error)}\n`)
      process.exit(1)
    },
  )
}
process.on("SIGTERM", () => stop("SIGTERM"))
process.on("SIGINT", () => stop("SIGINT"))
