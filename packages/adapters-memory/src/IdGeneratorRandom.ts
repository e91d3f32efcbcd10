import { randomUUID } from "node:crypto"
import { type EventId, IdGenerator } from "@commerce-core/domain"
import { Effect, Layer } from "effect"

/** Random (v4) UUIDs from node:crypto. */
export const IdGeneratorRandom = Layer.succeed(
  IdGenerator,
  IdGenerator.of({ eventId: Effect.sync(() => randomUUID() as EventId) }),
)
