import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Coupons, product metrics, rank boards and the idempotency store. Idempotency scopes are
 * VARBINARY: arbitrary caller strings must compare byte for byte (no case folding, no
 * trailing-space padding as VARCHAR collations do).
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient
  const table = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS coupon_template (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name VARCHAR(100) NOT NULL,
    type VARCHAR(5) NOT NULL,
    value BIGINT UNSIGNED NOT NULL,
    max_discount BIGINT UNSIGNED NULL,
    min_order_amount BIGINT UNSIGNED NULL,
    total_quantity BIGINT UNSIGNED NULL,
    issued_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
    issue_starts_at DATETIME(3) NOT NULL,
    issue_ends_at DATETIME(3) NOT NULL,
    valid_days INT UNSIGNED NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS issued_coupon (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    template_id BIGINT UNSIGNED NOT NULL,
    user_id BIGINT UNSIGNED NOT NULL,
    status VARCHAR(9) NOT NULL,
    issued_at DATETIME(3) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    used_order_id BIGINT UNSIGNED NULL,
    used_at DATETIME(3) NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_issued_coupon_template_user (template_id, user_id),
    KEY ix_issued_coupon_user (user_id, id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS product_metrics_daily (
    metric_date CHAR(8) NOT NULL,
    product_id BIGINT UNSIGNED NOT NULL,
    views BIGINT UNSIGNED NOT NULL DEFAULT 0,
    likes BIGINT UNSIGNED NOT NULL DEFAULT 0,
    unlikes BIGINT UNSIGNED NOT NULL DEFAULT 0,
    orders BIGINT UNSIGNED NOT NULL DEFAULT 0,
    units BIGINT UNSIGNED NOT NULL DEFAULT 0,
    revenue BIGINT UNSIGNED NOT NULL DEFAULT 0,
    PRIMARY KEY (metric_date, product_id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS ranking_daily (
    board_date CHAR(8) NOT NULL,
    product_id BIGINT UNSIGNED NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (board_date, product_id),
    KEY ix_ranking_daily_order (board_date, points DESC, product_id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS ranking_carry_over (
    from_date CHAR(8) NOT NULL,
    to_date CHAR(8) NOT NULL,
    permille INT NOT NULL,
    PRIMARY KEY (from_date, to_date)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS ranking_period (
    period VARCHAR(8) NOT NULL,
    period_key VARCHAR(10) NOT NULL,
    rank_no INT UNSIGNED NOT NULL,
    product_id BIGINT UNSIGNED NOT NULL,
    points BIGINT NOT NULL,
    PRIMARY KEY (period, period_key, rank_no)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS idempotency_record (
    owner VARBINARY(800) NOT NULL,
    idem_key VARBINARY(800) NOT NULL,
    fingerprint VARBINARY(1024) NOT NULL,
    state VARCHAR(9) NOT NULL,
    result MEDIUMTEXT NULL,
    expires_at DATETIME(3) NOT NULL,
    PRIMARY KEY (owner, idem_key),
    KEY ix_idempotency_expiry (expires_at)
  ) ${table}`)
})
