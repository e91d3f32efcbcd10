import { ConsumerRunnerLive, type DomainEvent, type EventConsumer, PersistenceUnavailable } from "@commerce-core/domain"
import { EventPublisherProbe, eventPublisherContract } from "@commerce-core/domain/testing"
import { describe } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { MemoryDatabase } from "../../src/MemoryDatabase.js"
import { EventInboxMemory } from "../../src/pipeline/EventInboxMemory.js"
import { EventPublisherInProcess } from "../../src/pipeline/EventPublisherInProcess.js"
import { memoryBase } from "./TestLayers.js"

interface ReceivedRow {
  readonly sequence: number
  readonly event: DomainEvent
}

/**
 * The in-process publisher with one consumer whose effect is a transactional row per event
 * received, so the probe sees what committed. While down, the consumer writes each event and
 * then fails (or dies) on it, which the publisher must undo and report as EventPublishFailed.
 */
const inProcess = (refusal: "fails" | "dies") =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const db = yield* MemoryDatabase
      const table = db.table<number, ReceivedRow>("received")
      let down = false
      const consumer: EventConsumer = {
        name: "recorder",
        handle: (event) =>
          Effect.gen(function* () {
            yield* db.write((tx) =>
              Effect.sync(() => {
                const sequence = db.nextId("received")
                tx.set(table, sequence, { sequence, event })
              }),
            )
            if (!down) return
            if (refusal === "dies") return yield* Effect.dieMessage("recorder crashed")
            return yield* new PersistenceUnavailable({ reason: "recorder refused" })
          }),
      }
      const probe = EventPublisherProbe.of({
        received: db.read((view) =>
          view
            .values(table)
            .sort((a, b) => a.sequence - b.sequence)
            .map((row) => row.event),
        ),
        setDown: (value) =>
          Effect.sync(() => {
            down = value
          }),
      })
      const publisher = EventPublisherInProcess([consumer]).pipe(
        Layer.provide(ConsumerRunnerLive.pipe(Layer.provide(EventInboxMemory))),
      )
      return Layer.merge(Layer.succeed(EventPublisherProbe, probe), publisher)
    }),
  ).pipe(Layer.provide(memoryBase()))

describe("EventPublisherInProcess, a consumer failing", () => eventPublisherContract(() => inProcess("fails")))
describe("EventPublisherInProcess, a consumer dying", () => eventPublisherContract(() => inProcess("dies")))
