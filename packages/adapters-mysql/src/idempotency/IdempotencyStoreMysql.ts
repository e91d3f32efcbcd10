import { type IdempotencyClaim, IdempotencyStore, PersistenceUnavailable } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { affectedRows, makeDb } from "../internal/Db.js"

interface RecordRow {
  readonly state: "RUNNING" | "COMPLETED"
  readonly result: string | null
  readonly same_fingerprint: number
  readonly expired: number
}

/**
 * Idempotency records keyed by (owner, key). Leases and retention use the server's UTC clock,
 * the one clock every process sharing the database agrees on. `begin` first tries a plain
 * `INSERT IGNORE` (the one winner of a race is the one that inserted); otherwise it locks the
 * existing row and reads it, taking it over when its lease or retention has run out.
 */
export const IdempotencyStoreMysql = Layer.effect(
  IdempotencyStore,
  Effect.gen(function* () {
    const { sql, run, atomic } = yield* makeDb
    const expiry = (millis: number) =>
      sql`DATE_ADD(UTC_TIMESTAMP(3), INTERVAL ${Math.max(0, Math.floor(millis)) * 1000} MICROSECOND)`

    const tryInsert = (owner: string, key: string, fingerprint: string, leaseMillis: number) =>
      run(
        sql`INSERT IGNORE INTO idempotency_record (owner, idem_key, fingerprint, state, result, expires_at)
        VALUES (${owner}, ${key}, ${fingerprint}, 'RUNNING', NULL, ${expiry(leaseMillis)})`.raw,
      ).pipe(Effect.map((raw) => affectedRows(raw) === 1))

    const inspect = (owner: string, key: string, fingerprint: string, leaseMillis: number) =>
      atomic(
        Effect.gen(function* () {
          const rows =
            yield* run(sql<RecordRow>`SELECT state, result, (fingerprint = ${fingerprint}) AS same_fingerprint,
              (expires_at <= UTC_TIMESTAMP(3)) AS expired
            FROM idempotency_record WHERE owner = ${owner} AND idem_key = ${key} FOR UPDATE`)
          const row = rows[0]
          if (row === undefined) return undefined
          if (Number(row.expired) === 1) {
            yield* run(sql`UPDATE idempotency_record SET fingerprint = ${fingerprint}, state = 'RUNNING', result = NULL,
              expires_at = ${expiry(leaseMillis)} WHERE owner = ${owner} AND idem_key = ${key}`)
            return { _tag: "Acquired" } as const
          }
          if (Number(row.same_fingerprint) !== 1) return { _tag: "FingerprintMismatch" } as const
          if (row.state === "RUNNING") return { _tag: "InProgress" } as const
          return { _tag: "Completed", result: row.result ?? "" } as const
        }),
      )

    const begin = (
      owner: string,
      key: string,
      fingerprint: string,
      leaseMillis: number,
      attempts: number,
    ): Effect.Effect<IdempotencyClaim, PersistenceUnavailable> =>
      Effect.flatMap(tryInsert(owner, key, fingerprint, leaseMillis), (inserted) =>
        inserted
          ? Effect.succeed<IdempotencyClaim>({ _tag: "Acquired" })
          : Effect.flatMap(inspect(owner, key, fingerprint, leaseMillis), (claim) =>
              claim !== undefined
                ? Effect.succeed(claim)
                : // Released between our insert and our read: try again.
                  attempts > 1
                  ? begin(owner, key, fingerprint, leaseMillis, attempts - 1)
                  : Effect.fail(new PersistenceUnavailable({ reason: "idempotency record kept changing" })),
            ),
      )

    return IdempotencyStore.of({
      begin: (input) => begin(input.scope.owner, input.scope.key, input.fingerprint, input.leaseMillis, 5),
      complete: (input) =>
        run(
          sql`UPDATE idempotency_record SET state = 'COMPLETED', result = ${input.result},
          expires_at = ${expiry(input.retainMillis)}
          WHERE owner = ${input.scope.owner} AND idem_key = ${input.scope.key}
            AND fingerprint = ${input.fingerprint} AND state = 'RUNNING'`.raw,
        ).pipe(Effect.asVoid),
      release: (scope, fingerprint) =>
        run(
          sql`DELETE FROM idempotency_record WHERE owner = ${scope.owner} AND idem_key = ${scope.key}
          AND fingerprint = ${fingerprint} AND state = 'RUNNING'`.raw,
        ).pipe(Effect.asVoid),
    })
  }),
)
