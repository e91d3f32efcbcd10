import {
  type ConsumerRunner,
  ConsumerRunnerLive,
  type EventConsumer,
  type EventInbox,
  type EventPublisher,
  type IdGenerator,
  type InvalidInput,
  type OutboxRelay,
  OutboxRelayLive,
  type OutboxRelayStore,
  type Transactor,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import type { OutboxPendingTableMemory, OutboxTableMemory } from "../EventOutboxMemory.js"
import type { MemoryDatabase } from "../MemoryDatabase.js"
import { EventInboxMemory } from "./EventInboxMemory.js"
import { EventPublisherInProcess } from "./EventPublisherInProcess.js"
import { OutboxRelayStoreMemory } from "./OutboxRelayStoreMemory.js"

export type InProcessPipelineServices = OutboxRelay | OutboxRelayStore | EventPublisher | ConsumerRunner | EventInbox

/**
 * The whole event pipeline in one process over the memory outbox: relay -> in-process
 * publisher -> inbox-guarded consumers. Consumers are given directly or as an effect that
 * builds them from services (e.g. a ranking consumer that needs the RankingBoard). The relay
 * does not run by itself: call `drainOutbox` (tests) or add `OutboxRelayDaemon` (servers).
 *
 * ```ts
 * const TestLive = InProcessPipelineMemory([myConsumer]).pipe(
 *   Layer.provideMerge(Layer.mergeAll(EventOutboxMemory, TransactorMemory)),
 *   Layer.provideMerge(OutboxTableMemoryLive),
 *   Layer.provideMerge(Layer.merge(MemoryDatabaseLive, IdGeneratorRandom)),
 * )
 * ```
 */
export const InProcessPipelineMemory = <E = never, R = never>(
  consumers: ReadonlyArray<EventConsumer> | Effect.Effect<ReadonlyArray<EventConsumer>, E, R>,
): Layer.Layer<
  InProcessPipelineServices,
  InvalidInput | E,
  R | MemoryDatabase | OutboxTableMemory | OutboxPendingTableMemory | Transactor | IdGenerator
> => {
  const build = Effect.isEffect(consumers) ? consumers : Effect.succeed(consumers)
  const publisher = Layer.unwrapEffect(Effect.map(build, EventPublisherInProcess))
  const runner = ConsumerRunnerLive.pipe(Layer.provideMerge(EventInboxMemory))
  return OutboxRelayLive.pipe(
    Layer.provideMerge(Layer.merge(OutboxRelayStoreMemory, publisher)),
    Layer.provideMerge(runner),
  )
}
