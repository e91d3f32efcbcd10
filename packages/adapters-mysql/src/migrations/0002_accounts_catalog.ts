import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Users, point wallets and ledgers, brands, products, likes and carts. No foreign keys: their
 * shared locks on parent rows (a product row under every order line) turn hot-row contention
 * into deadlocks; the domain keeps references consistent inside its transactions instead.
 * Tables use utf8mb4_bin so that login ids compare case-sensitively, as the domain does.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient
  const table = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS users (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    login_id VARCHAR(10) NOT NULL,
    email VARCHAR(254) NOT NULL,
    gender VARCHAR(6) NOT NULL,
    birth_date CHAR(10) NOT NULL,
    password_hash VARCHAR(512) NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_users_login_id (login_id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS point_wallet (
    user_id BIGINT UNSIGNED NOT NULL,
    balance BIGINT UNSIGNED NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (user_id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS point_ledger (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id BIGINT UNSIGNED NOT NULL,
    type VARCHAR(6) NOT NULL,
    amount BIGINT UNSIGNED NOT NULL,
    balance_after BIGINT UNSIGNED NOT NULL,
    order_id BIGINT UNSIGNED NULL,
    idempotency_key VARCHAR(255) NULL,
    refund_order_id BIGINT UNSIGNED NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY ix_point_ledger_user (user_id, id),
    KEY ix_point_ledger_order (user_id, order_id),
    UNIQUE KEY uq_point_ledger_charge_key (user_id, idempotency_key),
    UNIQUE KEY uq_point_ledger_refund (user_id, refund_order_id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS brand (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name VARCHAR(100) NOT NULL,
    description VARCHAR(2000) NOT NULL,
    active TINYINT(1) NOT NULL,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS product (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    brand_id BIGINT UNSIGNED NOT NULL,
    name VARCHAR(100) NOT NULL,
    description VARCHAR(2000) NOT NULL,
    price BIGINT UNSIGNED NOT NULL,
    stock BIGINT UNSIGNED NOT NULL,
    max_order_quantity BIGINT UNSIGNED NOT NULL,
    status VARCHAR(8) NOT NULL,
    like_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
    created_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    KEY ix_product_latest (status, created_at, id),
    KEY ix_product_price (status, price, id),
    KEY ix_product_likes (status, like_count, id),
    KEY ix_product_brand_latest (brand_id, status, created_at, id),
    KEY ix_product_brand_price (brand_id, status, price, id),
    KEY ix_product_brand_likes (brand_id, status, like_count, id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS product_like (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id BIGINT UNSIGNED NOT NULL,
    product_id BIGINT UNSIGNED NOT NULL,
    liked_at DATETIME(3) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_product_like (user_id, product_id),
    KEY ix_product_like_recent (user_id, liked_at, id)
  ) ${table}`)
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS cart_line (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id BIGINT UNSIGNED NOT NULL,
    product_id BIGINT UNSIGNED NOT NULL,
    quantity BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_cart_line (user_id, product_id)
  ) ${table}`)
})
