import {
  type ClaimedEntry,
  decodeEventJson,
  OutboxRelayStore,
  PersistenceUnavailable,
  selectClaim,
  validateClaim,
} from "@commerce-core/domain"
import { Clock, Effect, Layer } from "effect"
import { affectedRows, makeDb } from "../internal/Db.js"

interface PendingRow {
  readonly sequence: number
  readonly aggregate_key: string
  readonly lease_owner: string | null
  readonly lease_expires_at: number | string
}

/** How far past the batch size a claim looks for entries of aggregates not held by others. */
const scanWindow = (batchSize: number) => Math.min(batchSize * 4 + 100, 10_000)

/**
 * The relay's side of `outbox_event`. A claim reads the oldest unpublished rows `FOR UPDATE`
 * (no SKIP LOCKED: a relay must see the rows another relay is leasing, or it could take a
 * later entry of an aggregate whose earlier entry is in flight), applies the domain's claim
 * rule to them and writes the lease, all in one short transaction; concurrent claims queue
 * on those row locks and then see each other's leases. The scan still waits for a row being
 * inserted by an open transaction, so no earlier entry is skipped; at READ COMMITTED it locks
 * no gaps, so services appending to the outbox never wait for a claim. Lease times are the
 * caller's Clock.
 */
export const OutboxRelayStoreMysql = Layer.effect(
  OutboxRelayStore,
  Effect.gen(function* () {
    const { sql, run, readCommitted } = yield* makeDb

    const decode = (sequence: number, payload: string) =>
      decodeEventJson(payload).pipe(
        Effect.map((event): ClaimedEntry => ({ sequence, event })),
        Effect.mapError(() => new PersistenceUnavailable({ reason: `outbox entry ${sequence} is not a valid event` })),
      )

    return OutboxRelayStore.of({
      claim: (batchSize, owner, leaseMs) =>
        Effect.gen(function* () {
          yield* validateClaim(batchSize, owner, leaseMs)
          const now = yield* Clock.currentTimeMillis
          return yield* readCommitted(
            Effect.gen(function* () {
              const pending = yield* run(sql<PendingRow>`SELECT sequence, aggregate_key, lease_owner, lease_expires_at
                FROM outbox_event WHERE published_at IS NULL ORDER BY sequence LIMIT ${scanWindow(batchSize)} FOR UPDATE`)
              const taken = selectClaim(
                pending.map((row) => ({
                  sequence: Number(row.sequence),
                  aggregateKey: row.aggregate_key,
                  leaseOwner: row.lease_owner ?? undefined,
                  leaseExpiresAt: Number(row.lease_expires_at),
                })),
                { owner, now, batchSize },
              )
              if (taken.length === 0) return []
              yield* run(sql`UPDATE outbox_event SET lease_owner = ${owner}, lease_expires_at = ${now + leaseMs}
                WHERE ${sql.in("sequence", taken)}`)
              const rows = yield* run(sql<{ sequence: number; payload: string }>`SELECT sequence, payload
                FROM outbox_event WHERE ${sql.in("sequence", taken)} ORDER BY sequence`)
              return yield* Effect.forEach(rows, (row) => decode(Number(row.sequence), row.payload))
            }),
          )
        }),

      markPublished: (owner, sequences) =>
        sequences.length === 0
          ? Effect.succeed(0)
          : Effect.flatMap(Clock.currentTimeMillis, (now) =>
              run(
                sql`UPDATE outbox_event SET published_at = ${new Date(now)}
                WHERE lease_owner = ${owner} AND published_at IS NULL AND ${sql.in("sequence", sequences)}`.raw,
              ).pipe(Effect.map(affectedRows)),
            ),

      release: (owner, sequences) =>
        sequences.length === 0
          ? Effect.void
          : run(
              sql`UPDATE outbox_event SET lease_owner = NULL, lease_expires_at = 0
              WHERE lease_owner = ${owner} AND published_at IS NULL AND ${sql.in("sequence", sequences)}`.raw,
            ).pipe(Effect.asVoid),

      counts: Effect.flatMap(Clock.currentTimeMillis, (now) =>
        run(sql<{ pending: number | string | null; claimed: number | string | null }>`SELECT COUNT(*) AS pending,
          SUM(lease_owner IS NOT NULL AND lease_expires_at > ${now}) AS claimed
          FROM outbox_event WHERE published_at IS NULL`).pipe(
          Effect.map((rows) => ({ pending: Number(rows[0]?.pending ?? 0), claimed: Number(rows[0]?.claimed ?? 0) })),
        ),
      ),
    })
  }),
)
