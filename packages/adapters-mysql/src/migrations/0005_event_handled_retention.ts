import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * An index on `event_handled.handled_at`, so that the inbox retention (purgeHandledEvents)
 * deletes its oldest rows by a range scan instead of reading the whole inbox every run.
 * Guarded by information_schema: MySQL 8 has no `CREATE INDEX IF NOT EXISTS`.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient
  const existing = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.statistics
    WHERE table_schema = DATABASE() AND table_name = 'event_handled' AND index_name = 'ix_event_handled_at'`
  if (Number(existing[0]?.n) > 0) return
  yield* sql.unsafe("CREATE INDEX ix_event_handled_at ON event_handled (handled_at)")
})
