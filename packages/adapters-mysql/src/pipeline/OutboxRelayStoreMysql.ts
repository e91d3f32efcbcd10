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
import { appendHorizon } from "../internal/OutboxAppendGuard.js"

interface PendingRow {
  readonly sequence: number
  readonly aggregate_key: string
  readonly lease_owner: string | null
  readonly lease_expires_at: number | string
}

/** How far past the batch size a claim looks for entries of aggregates not held by others. */
const scanWindow = (batchSize: number) => Math.min(batchSize * 4 + 100, 10_000)

/**
 * The relay's side of `outbox_event`. A claim first passes the append barrier (see
 * OutboxAppendGuard) and leases only entries up to its horizon, all of them visible. It reads
 * the oldest unpublished rows `FOR UPDATE` (no SKIP LOCKED: a relay must see the rows another
 * relay is leasing, or it could take a later entry of an aggregate whose earlier entry is in
 * flight), applies the domain's claim rule to them and writes the lease, all in one short
 * transaction at READ COMMITTED (no gap locks, so appends never wait for it). Lease times are
 * the caller's Clock.
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
          const horizon = yield* run(appendHorizon(sql))
          return yield* readCommitted(
            Effect.gen(function* () {
              const scan = (limit: number) =>
                Effect.map(
                  run(sql<PendingRow>`SELECT sequence, aggregate_key, lease_owner, lease_expires_at
                    FROM outbox_event WHERE published_at IS NULL AND sequence <= ${horizon}
                    ORDER BY sequence LIMIT ${limit} FOR UPDATE`),
                  (rows) => ({
                    complete: rows.length < limit,
                    taken: selectClaim(
                      rows.map((row) => ({
                        sequence: Number(row.sequence),
                        aggregateKey: row.aggregate_key,
                        leaseOwner: row.lease_owner ?? undefined,
                        leaseExpiresAt: Number(row.lease_expires_at),
                      })),
                      { owner, now, batchSize },
                    ),
                  }),
                )
              // The batch alone is enough unless other relays' leases blocked some of it: only
              // then does the claim read further, to the wider window.
              const first = yield* scan(batchSize)
              const { taken } =
                first.taken.length === batchSize || first.complete ? first : yield* scan(scanWindow(batchSize))
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
