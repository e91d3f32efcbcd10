import { SqlClient } from "@effect/sql/SqlClient"
import { Effect } from "effect"

/**
 * Refunds owed for extra charges of an order (Payment.refundsOwed) get a table of their own:
 * one row per gateway key, `seq` = position in the list. `payment.refunds_owed_count` mirrors
 * the row count, so that a payment write can compare it on the payment row (see
 * OrderRepositoryMysql.savePayment). Until now they were JSON in `payment.reason`
 * (`{"refundsOwed":[keys],"reason":...}`); those rows are moved here.
 *
 * Re-run at every start, so every step is guarded and a crash anywhere is finished next time:
 * the moved rows go into a staging table in the same transaction that rewrites their reasons,
 * and the staging table is renamed into place last, so the final table existing means done
 * (and the one-off scan of `payment.reason` is never repeated).
 */
const staging = "payment_refund_owed_0006"
const owedPrefix = '{"refundsOwed":'

/** The old encoding, or undefined for a reason that merely looks like it (left as it is). */
const parseOwed = (reason: string) => {
  try {
    const parsed = JSON.parse(reason) as { refundsOwed?: unknown; reason?: unknown }
    const keys = parsed.refundsOwed
    if (!Array.isArray(keys) || !keys.every((key) => typeof key === "string")) return undefined
    if (parsed.reason !== undefined && typeof parsed.reason !== "string") return undefined
    return { refundsOwed: keys as Array<string>, reason: parsed.reason }
  } catch {
    return undefined
  }
}

export default Effect.gen(function* () {
  const sql = yield* SqlClient
  const exists = (table: string, column?: string) =>
    Effect.map(
      column === undefined
        ? sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.tables
            WHERE table_schema = DATABASE() AND table_name = ${table}`
        : sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.columns
            WHERE table_schema = DATABASE() AND table_name = ${table} AND column_name = ${column}`,
      (rows) => Number(rows[0]?.n) > 0,
    )

  if (!(yield* exists("payment", "refunds_owed_count"))) {
    yield* sql.unsafe("ALTER TABLE payment ADD COLUMN refunds_owed_count INT UNSIGNED NOT NULL DEFAULT 0")
  }
  if (yield* exists("payment_refund_owed")) return

  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS ${staging} (
    order_id BIGINT UNSIGNED NOT NULL,
    seq INT UNSIGNED NOT NULL,
    transaction_key VARCHAR(255) NOT NULL,
    PRIMARY KEY (order_id, seq),
    KEY ix_payment_refund_owed_transaction (transaction_key)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`)

  yield* sql.withTransaction(
    Effect.gen(function* () {
      const rows = yield* sql<{ order_id: number; reason: string }>`SELECT order_id, reason FROM payment
        WHERE reason LIKE ${`${owedPrefix}%`} FOR UPDATE`
      for (const row of rows) {
        const parsed = parseOwed(row.reason)
        if (parsed === undefined) continue
        if (parsed.refundsOwed.length > 0) {
          yield* sql`INSERT INTO ${sql(staging)} ${sql.insert(
            parsed.refundsOwed.map((key, seq) => ({ order_id: row.order_id, seq, transaction_key: key })),
          )}`
        }
        yield* sql`UPDATE payment SET reason = ${parsed.reason ?? null},
          refunds_owed_count = ${parsed.refundsOwed.length} WHERE order_id = ${row.order_id}`
      }
    }),
  )
  yield* sql.unsafe(`RENAME TABLE ${staging} TO payment_refund_owed`)
})
