// Figures that do not depend on how busy the machine is, or that say how fast it is right now,
// printed beside a throughput so runs from different hours or machines can be compared.

import { writeFileSync } from "node:fs"
import inspector from "node:inspector"
import { Effect, RuntimeFlags, RuntimeFlagsPatch, Supervisor } from "effect"

/**
 * Time of a fixed workload like the order path's own (small objects, a growing Map, closures),
 * best of three: on a shared VM the same code runs 2-3 times slower in a busy hour, and this
 * shows which hour a figure comes from.
 */
export const machineReference = () => {
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < 3; round++) {
    const started = performance.now()
    const rows = new Map()
    let sum = 0
    for (let i = 0; i < 300_000; i++) {
      const row = { id: i, name: `row ${i & 1023}`, tags: [i & 7, i & 15] }
      rows.set(i, row)
      sum += [row].map((r) => r.tags.length)[0]
    }
    if (sum !== 600_000) throw new Error("reference workload miscounted")
    best = Math.min(best, performance.now() - started)
  }
  return best
}

class StepCounter extends Supervisor.AbstractSupervisor {
  steps = 0
  get value() {
    return Effect.void
  }
  onEffect() {
    this.steps += 1
  }
}

/** Runs `self` counting the steps (instructions) its fibers and their children execute. */
export const countSteps = (self) =>
  Effect.suspend(() => {
    const counter = new StepCounter()
    return Effect.map(
      Effect.withRuntimeFlagsPatch(
        Effect.supervised(self, counter),
        RuntimeFlagsPatch.enable(RuntimeFlags.OpSupervision),
      ),
      () => counter.steps,
    )
  })

const inspectorPost = (session, method, params) =>
  new Promise((resolve, reject) =>
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
  )

/**
 * Runs `self` under one of V8's profilers when its file is given and writes the profile there
 * (open it in Chrome's DevTools or VS Code); otherwise runs it as it is.
 * - `cpu`: the CPU profiler (`.cpuprofile`);
 * - `allocations`: the sampling heap profiler, counting objects that the GC has since freed too
 *   (`.heapprofile`), so it shows where the allocation rate comes from, not only what stays.
 */
export const profiled = ({ cpu, allocations }, self) => {
  if (!cpu && !allocations) return self
  const session = new inspector.Session()
  session.connect()
  const post = (method, params) => inspectorPost(session, method, params)
  const start = cpu
    ? () => post("Profiler.enable").then(() => post("Profiler.start"))
    : () =>
        post("HeapProfiler.enable").then(() =>
          post("HeapProfiler.startSampling", {
            samplingInterval: 4096,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
          }),
        )
  const stop = cpu ? () => post("Profiler.stop") : () => post("HeapProfiler.stopSampling")
  return Effect.promise(start).pipe(
    Effect.zipRight(self),
    Effect.tap(() =>
      Effect.promise(async () => {
        const { profile } = await stop()
        writeFileSync(cpu || allocations, JSON.stringify(profile))
        session.disconnect()
      }),
    ),
  )
}
