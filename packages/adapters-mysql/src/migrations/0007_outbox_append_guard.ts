import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * One row that outbox appends lock shared and relay claims lock exclusive (see
 * OutboxAppendGuard): a claim then never runs while an append is between taking its sequence
 * number and making its row visible, so it cannot publish a later entry of an aggregate
 * ahead of an earlier one.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS outbox_append_guard (
    id TINYINT UNSIGNED NOT NULL,
    PRIMARY KEY (id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`)
  yield* sql.unsafe("INSERT IGNORE INTO outbox_append_guard (id) VALUES (1)")
})
