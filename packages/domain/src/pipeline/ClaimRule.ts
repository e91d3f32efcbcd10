import { Effect } from "effect"
import { InvalidInput } from "../shared/DomainError.js"

/** What the claim rule needs to know of a pending (committed, unpublished) outbox entry. */
export interface PendingLease {
  readonly sequence: number
  readonly aggregateKey: string
  /** The owner of the last lease, if any; the lease is live while `leaseExpiresAt > now`. */
  readonly leaseOwner: string | undefined
  readonly leaseExpiresAt: number
}

export interface ClaimRequest {
  readonly owner: string
  readonly now: number
  readonly batchSize: number
}

export const isLeaseLive = (entry: PendingLease, now: number): boolean =>
  entry.leaseOwner !== undefined && entry.leaseExpiresAt > now

/**
 * The sequences an owner may claim, ascending. Scans pending entries in sequence order; an
 * entry under a live lease blocks its aggregate for the rest of the scan, so an entry is
 * taken only when every earlier pending entry of its aggregate is taken too. The claimer's
 * own live leases block as well: two concurrent rounds of one relay instance (a daemon and a
 * test's drain) never publish the same entries at once.
 * Adapters apply it to the pending rows they lock (memory: all of them; SQL: the rows read
 * `FOR UPDATE` in sequence order).
 */
export const selectClaim = (pending: ReadonlyArray<PendingLease>, request: ClaimRequest): Array<number> =>
  selectClaimAscending(
    [...pending].sort((a, b) => a.sequence - b.sequence),
    request,
  )

/**
 * `selectClaim` for entries the caller guarantees to be in ascending sequence order: they are
 * read only until the batch is full, so a long backlog costs a claim no more than its batch.
 */
export const selectClaimAscending = (pending: Iterable<PendingLease>, request: ClaimRequest): Array<number> => {
  const blocked = new Set<string>()
  const taken: Array<number> = []
  for (const entry of pending) {
    if (taken.length >= request.batchSize) break
    if (blocked.has(entry.aggregateKey)) continue
    if (isLeaseLive(entry, request.now)) {
      blocked.add(entry.aggregateKey)
      continue
    }
    taken.push(entry.sequence)
  }
  return taken
}

const MAX_OWNER_LENGTH = 100

/** Rejects a claim that no store can satisfy: the arguments are checked before any I/O. */
export const validateClaim = (batchSize: number, owner: string, leaseMs: number): Effect.Effect<void, InvalidInput> => {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    return Effect.fail(new InvalidInput({ field: "batchSize", reason: "must be a positive integer" }))
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 1)
    return Effect.fail(new InvalidInput({ field: "leaseMs", reason: "must be a positive integer" }))
  if (owner.trim().length === 0 || owner.length > MAX_OWNER_LENGTH)
    return Effect.fail(new InvalidInput({ field: "owner", reason: `must be 1 to ${MAX_OWNER_LENGTH} characters` }))
  return Effect.void
}
