import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Orders, their lines, status history and payment record. Order ids come from `order_id_seq`
 * (an auto-increment that never hands an id out twice, rolled back or not), because the
 * domain reserves an order's id before it is stored. `touched_at` = last attempt or update,
 * kept by the adapter, so that reconciliation scans one index in order.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient
  const table = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS order_id_seq (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    PRIMARY KEY (id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS orders (
    id BIGINT UNSIGNED NOT NULL,
    user_id BIGINT UNSIGNED NOT NULL,
    subtotal BIGINT UNSIGNED NOT NULL,
    discount BIGINT UNSIGNED NOT NULL,
    paid_amount BIGINT UNSIGNED NOT NULL,
    coupon_id BIGINT UNSIGNED NULL,
    payment_type VARCHAR(5) NOT NULL,
    status VARCHAR(16) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY ix_orders_user_recent (user_id, created_at, id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS order_line (
    order_id BIGINT UNSIGNED NOT NULL,
    line_no SMALLINT UNSIGNED NOT NULL,
    product_id BIGINT UNSIGNED NOT NULL,
    product_name VARCHAR(255) NOT NULL,
    unit_price BIGINT UNSIGNED NOT NULL,
    quantity BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (order_id, line_no)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS order_status_history (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    order_id BIGINT UNSIGNED NOT NULL,
    status VARCHAR(16) NOT NULL,
    at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY ix_order_status_history_order (order_id, id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS payment (
    order_id BIGINT UNSIGNED NOT NULL,
    type VARCHAR(5) NOT NULL,
    status VARCHAR(9) NOT NULL,
    amount BIGINT UNSIGNED NOT NULL,
    transaction_key VARCHAR(255) NULL,
    card_type VARCHAR(16) NULL,
    card_no VARCHAR(19) NULL,
    attempts INT UNSIGNED NOT NULL,
    last_attempt_at DATETIME(3) NULL,
    reason TEXT NULL,
    updated_at DATETIME(3) NOT NULL,
    touched_at DATETIME(3) NOT NULL,
    PRIMARY KEY (order_id),
    KEY ix_payment_pending (type, status, touched_at, order_id),
    KEY ix_payment_transaction (transaction_key)
  ) ${table}`)
})
