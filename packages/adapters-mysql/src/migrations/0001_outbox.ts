import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * The transactional outbox and the consumers' inbox. Relay leases are epoch milliseconds of
 * the relays' own clock, never the server's. Payloads are MEDIUMTEXT, not JSON: MySQL 8
 * hands JSON columns back parsed and MariaDB as text, and the domain decodes the text itself.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`CREATE TABLE IF NOT EXISTS outbox_event (
    sequence BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    event_id CHAR(36) NOT NULL,
    event_type VARCHAR(64) NOT NULL,
    aggregate_key VARCHAR(100) NOT NULL,
    payload MEDIUMTEXT NOT NULL,
    occurred_at DATETIME(3) NOT NULL,
    published_at DATETIME(3) NULL,
    lease_owner VARCHAR(100) NULL,
    lease_expires_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (sequence),
    UNIQUE KEY uq_outbox_event_id (event_id),
    KEY ix_outbox_unpublished (published_at, sequence),
    KEY ix_outbox_aggregate (aggregate_key, sequence)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`
  yield* sql`CREATE TABLE IF NOT EXISTS event_handled (
    consumer VARCHAR(100) NOT NULL,
    event_id CHAR(36) NOT NULL,
    handled_at DATETIME(3) NOT NULL,
    PRIMARY KEY (consumer, event_id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`
})
