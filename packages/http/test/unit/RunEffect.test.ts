import { Effect, Exit, HashMap, type Layer, Logger, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { makeEffectRunner } from "../../src/routing/RunEffect.js"

interface Line {
  readonly message: string
  readonly requestId: unknown
  readonly other: unknown
}

const capture = () => {
  const lines: Array<Line> = []
  const logger = Logger.make(({ message, annotations }) => {
    lines.push({
      message: String(Array.isArray(message) ? message[0] : message),
      requestId:
        HashMap.get(annotations, "requestId")._tag === "Some" ? HashMap.unsafeGet(annotations, "requestId") : undefined,
      other: HashMap.get(annotations, "other")._tag === "Some" ? HashMap.unsafeGet(annotations, "other") : undefined,
    })
  })
  const runtime = ManagedRuntime.make(Logger.replace(Logger.defaultLogger, logger) as Layer.Layer<never>)
  return { lines, runtime }
}

// the effect logs itself, from a forked child and under an annotation of its own
const traced = (n: number) =>
  Effect.gen(function* () {
    yield* Effect.logInfo(`own ${n}`)
    yield* Effect.yieldNow()
    yield* Effect.fork(Effect.logInfo(`child ${n}`)).pipe(Effect.flatMap((fiber) => fiber.await))
    yield* Effect.annotateLogs(Effect.logInfo(`nested ${n}`), "other", n)
    return n
  })

describe("makeEffectRunner", () => {
  it("annotates every log line of a run, its children included, with that run's request id, before and after the runtime is built", async () => {
    const { lines, runtime } = capture()
    const runner = makeEffectRunner(runtime)
    // the first runs race the runtime's construction; the later ones use the built runtime
    const first = await Promise.all(Array.from({ length: 20 }, (_, n) => runner.run(traced(n), `req-${n}`)))
    const later = await Promise.all(Array.from({ length: 300 }, (_, n) => runner.run(traced(n + 20), `req-${n + 20}`)))
    expect([...first, ...later].map((exit) => (Exit.isSuccess(exit) ? exit.value : -1))).toEqual(
      Array.from({ length: 320 }, (_, n) => n),
    )
    expect(lines).toHaveLength(320 * 3)
    for (const line of lines) {
      const n = Number(line.message.split(" ")[1])
      expect(line.requestId).toBe(`req-${n}`)
      expect(line.other).toBe(line.message.startsWith("nested") ? n : undefined)
    }
    await runtime.dispose()
  })

  it("returns failures and defects as exits, and leaves no annotation behind for runs without one", async () => {
    const { lines, runtime } = capture()
    const runner = makeEffectRunner(runtime)
    await runner.run(Effect.void, "warm-up")
    const failed = await runner.run(Effect.fail("boom"), "r1")
    expect(Exit.isFailure(failed) && failed.cause._tag === "Fail" ? failed.cause.error : undefined).toBe("boom")
    const died = await runner.run(Effect.die("bug"), "r2")
    expect(Exit.isFailure(died) && died.cause._tag === "Die").toBe(true)
    await runtime.runPromise(Effect.logInfo("outside"))
    expect(lines).toEqual([{ message: "outside", requestId: undefined, other: undefined }])
    runner.reset()
    await runtime.dispose()
  })
})
