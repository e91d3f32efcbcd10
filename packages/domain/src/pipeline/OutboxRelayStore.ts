import { Context, type Effect } from "effect"
import type { DomainEvent } from "../events/DomainEvent.js"
import type { InvalidInput, PersistenceUnavailable } from "../shared/DomainError.js"

/** An outbox entry handed to a relay; `sequence` is its position in the outbox. */
export interface ClaimedEntry {
  readonly sequence: number
  readonly event: DomainEvent
}

export interface OutboxCounts {
  /** Committed entries not yet published. */
  readonly pending: number
  /** Pending entries under a live lease (a relay is publishing them right now). */
  readonly claimed: number
}

/**
 * The relay's side of the outbox. Entries are claimed under a lease: while it lasts no other
 * owner can claim them, and an entry whose relay died is claimable again once its lease
 * expires. Lease times come from Effect's `Clock` of the caller (never the database's clock),
 * so every relay and the contract suite under `TestClock` agree on them.
 *
 * Claim rule (per-aggregate order, see `selectClaim`): committed, unpublished entries are
 * scanned in sequence order and an entry is taken only if every earlier unpublished entry of
 * its `aggregateKey` is taken in the same claim. So an aggregate whose oldest pending entry is
 * under a live lease (anyone's, the claimer's own included) contributes nothing, and two
 * relays never hold entries of one aggregate at once.
 */
export class OutboxRelayStore extends Context.Tag("@commerce-core/domain/OutboxRelayStore")<
  OutboxRelayStore,
  {
    /** Leases up to `batchSize` entries to `owner` for `leaseMs`, in sequence order. */
    readonly claim: (
      batchSize: number,
      owner: string,
      leaseMs: number,
    ) => Effect.Effect<ReadonlyArray<ClaimedEntry>, InvalidInput | PersistenceUnavailable>
    /**
     * Marks entries published, only those still leased to `owner` (even if the lease has
     * expired, as long as nobody took them over); returns how many it marked. Idempotent.
     */
    readonly markPublished: (
      owner: string,
      sequences: ReadonlyArray<number>,
    ) => Effect.Effect<number, PersistenceUnavailable>
    /** Gives back `owner`'s leases on unpublished entries so any relay may claim them at once. */
    readonly release: (owner: string, sequences: ReadonlyArray<number>) => Effect.Effect<void, PersistenceUnavailable>
    readonly counts: Effect.Effect<OutboxCounts, PersistenceUnavailable>
  }
>() {}
