import { Layer } from "effect"
import { IdGenerator, makeIdGenerator } from "../../src/shared/IdGenerator.js"
import type { EventId } from "../../src/shared/Ids.js"

/** Sequential UUID-shaped event ids; the domain cannot use node:crypto. */
export const SequentialIds = Layer.sync(IdGenerator, () => {
  let next = 0
  return makeIdGenerator(() => `00000000-0000-4000-8000-${(++next).toString(16).padStart(12, "0")}` as EventId)
})
