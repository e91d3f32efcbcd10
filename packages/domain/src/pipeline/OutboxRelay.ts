import { Context, Duration, Effect, Layer, Schedule } from "effect"
import type { InvalidInput, PersistenceUnavailable } from "../shared/DomainError.js"
import { IdGenerator } from "../shared/IdGenerator.js"
import { validateClaim } from "./ClaimRule.js"
import { EventPublisher } from "./EventPublisher.js"
import { OutboxRelayStore } from "./OutboxRelayStore.js"
import { EventPublishFailed } from "./PipelineErrors.js"

export interface OutboxRelayConfig {
  /** Entries claimed and published per round trip. */
  readonly batchSize: number
  /**
   * How long a claim stays exclusive. Publishing a batch is cut off after this long (and
   * counts as failed), so a slow relay stops before its lease can pass to another one.
   */
  readonly leaseMs: number
  /** Pause of the long-running loop after a round that found fewer than `batchSize` entries. */
  readonly pollInterval: Duration.DurationInput
}

/** Relay settings; the defaults suit the embedded server. Override with `Layer.succeed` or `Effect.provideService`. */
export class OutboxRelaySettings extends Context.Reference<OutboxRelaySettings>()(
  "@commerce-core/domain/OutboxRelaySettings",
  { defaultValue: (): OutboxRelayConfig => ({ batchSize: 100, leaseMs: 30_000, pollInterval: Duration.millis(100) }) },
) {}

export interface RelayBatch {
  readonly claimed: number
  readonly published: number
}

/**
 * Publishes the outbox: claim a batch, publish it, mark it published. A failed publish marks
 * nothing and releases the batch, so it is published again (at least once, never lost);
 * a relay that dies mid-batch leaves a lease that expires. Per-aggregate order holds because
 * the store never leases entries of one aggregate to two relays at once (see
 * `OutboxRelayStore`) and entries are marked only after their batch was published.
 */
export class OutboxRelay extends Context.Tag("@commerce-core/domain/OutboxRelay")<
  OutboxRelay,
  {
    /** This relay's lease owner id, unique per instance. */
    readonly owner: string
    /** One claim-publish-mark round trip. */
    readonly relayOnce: Effect.Effect<RelayBatch, EventPublishFailed | PersistenceUnavailable>
    /**
     * Relays until nothing is pending, waiting for batches other relays hold; returns how many
     * entries this relay published. Fails on the first failed publish. A dead relay's lease
     * holds it up until the lease expires (advance the `TestClock` in tests).
     */
    readonly drain: Effect.Effect<number, EventPublishFailed | PersistenceUnavailable>
    /** Relays forever, `pollInterval` apart; failures are logged and retried on the next round. */
    readonly run: Effect.Effect<never>
  }
>() {}

const IDLE_SPINS_BEFORE_SLEEPING = 1_000

/** Builds a relay with an owner id of its own; several in one process are independent relays. */
export const makeOutboxRelay: Effect.Effect<
  OutboxRelay["Type"],
  InvalidInput,
  OutboxRelayStore | EventPublisher | IdGenerator
> = Effect.gen(function* () {
  const store = yield* OutboxRelayStore
  const publisher = yield* EventPublisher
  const settings = yield* OutboxRelaySettings
  const owner = `relay-${yield* (yield* IdGenerator).eventId}`
  yield* validateClaim(settings.batchSize, owner, settings.leaseMs)
  const { batchSize, leaseMs } = settings
  const pollInterval = Duration.decode(settings.pollInterval)

  // Only the publish is interruptible. A claim whose COMMIT went out always hands its batch
  // to this round, and a round stopped at any point releases what it leased: otherwise a
  // relay stopped mid-claim (a server shutting down) would leave a lease nobody works on,
  // holding its entries back for a whole lease period.
  const relayOnce: Effect.Effect<RelayBatch, EventPublishFailed | PersistenceUnavailable> = Effect.uninterruptibleMask(
    (restore) =>
      Effect.gen(function* () {
        const batch = yield* store.claim(batchSize, owner, leaseMs)
        if (batch.length === 0) return { claimed: 0, published: 0 }
        const sequences = batch.map((entry) => entry.sequence)
        const published = yield* restore(
          publisher.publish(batch.map((entry) => entry.event)).pipe(
            Effect.timeoutFail({
              duration: Duration.millis(leaseMs),
              onTimeout: () => new EventPublishFailed({ reason: `not done within the ${leaseMs} ms lease` }),
            }),
          ),
        ).pipe(
          Effect.zipRight(store.markPublished(owner, sequences)),
          Effect.onError(() => Effect.ignore(store.release(owner, sequences))),
        )
        return { claimed: batch.length, published }
      }),
    // Unreachable: the claim arguments were validated above, before any relay could run.
  ).pipe(Effect.catchTag("InvalidInput", (e) => Effect.die(e)))

  const drain = Effect.gen(function* () {
    let published = 0
    let idle = 0
    while (true) {
      const batch = yield* relayOnce
      published += batch.published
      if (batch.claimed > 0) {
        idle = 0
        continue
      }
      if ((yield* store.counts).pending === 0) return published
      idle += 1
      yield* idle < IDLE_SPINS_BEFORE_SLEEPING ? Effect.yieldNow() : Effect.sleep(pollInterval)
    }
  })

  const round = relayOnce.pipe(
    Effect.repeat({ while: (batch) => batch.claimed >= batchSize }),
    Effect.catchAllCause((cause) => Effect.logWarning("Outbox relay round failed", cause)),
  )
  const run = Effect.repeat(round, Schedule.spaced(pollInterval)).pipe(
    Effect.zipRight(Effect.never),
    Effect.annotateLogs("relay", owner),
  )

  return OutboxRelay.of({ owner, relayOnce, drain, run })
})

export const OutboxRelayLive: Layer.Layer<OutboxRelay, InvalidInput, OutboxRelayStore | EventPublisher | IdGenerator> =
  Layer.effect(OutboxRelay, makeOutboxRelay)

/** The long-running loop of the relay in context (a process's background publisher). */
export const runRelay: Effect.Effect<never, never, OutboxRelay> = Effect.flatMap(OutboxRelay, (relay) => relay.run)

/** Relays until the outbox is empty: tests call it to let consumers catch up ("place, drain, read"). */
export const drainOutbox: Effect.Effect<number, EventPublishFailed | PersistenceUnavailable, OutboxRelay> =
  Effect.flatMap(OutboxRelay, (relay) => relay.drain)

/** Runs the relay loop in the background for as long as the layer lives. */
export const OutboxRelayDaemon: Layer.Layer<never, never, OutboxRelay> = Layer.scopedDiscard(
  Effect.forkScoped(runRelay),
)
