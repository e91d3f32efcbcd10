import type { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Why appends and claims share a lock: an INSERT takes its auto-increment sequence number
 * before its row becomes visible (or even locked). A claim that scanned in between could see
 * a later entry of the same aggregate, committed by another append, and publish it first, for
 * the earlier one is not there to wait for.
 *
 * Appends hold this row shared from just before their INSERT to their COMMIT (the same round
 * trip). A claim first passes a barrier: a transaction of one round trip that takes the row
 * exclusive, which waits for the appends in flight to commit, and reads the highest sequence
 * then stored, the horizon. Every sequence number up to it was taken before the barrier and
 * is visible; later appends take higher ones. The claim then leases only entries up to the
 * horizon. Appends wait at most that one round trip, and never for each other.
 */
export const APPEND_SHARED = "SELECT id FROM outbox_append_guard WHERE id = 1 LOCK IN SHARE MODE"

// An upsert rather than a locking read: a deleted guard row is back at the next barrier.
const BARRIER = `BEGIN;
INSERT INTO outbox_append_guard (id) VALUES (1) ON DUPLICATE KEY UPDATE id = id;
SELECT COALESCE(MAX(sequence), 0) AS horizon FROM outbox_event;
COMMIT`

/** The claim barrier: the highest sequence number a claim may lease (see above). */
export const appendHorizon = (sql: SqlClient) =>
  Effect.scoped(
    Effect.flatMap(sql.reserve, (conn) =>
      conn.executeUnprepared(BARRIER, [], undefined).pipe(
        Effect.tapError(() => Effect.ignore(conn.executeUnprepared("ROLLBACK", [], undefined))),
        Effect.map((results) => Number((results[2] as ReadonlyArray<{ horizon: unknown }>)[0]?.horizon ?? 0)),
      ),
    ),
  )
