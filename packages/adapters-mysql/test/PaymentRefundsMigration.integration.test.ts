import {
  Money,
  Order,
  OrderId,
  OrderLine,
  OrderRepository,
  Payment,
  ProductId,
  Quantity,
  StatusChange,
  UserId,
} from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { expect } from "vitest"
import { migrations, OrderRepositoryMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

const migration = migrations["0006_payment_refund_owed"]
const at = new Date(Date.UTC(2025, 0, 1))

const paidCardOrder = (id: number) => {
  const line = new OrderLine({
    productId: ProductId.make(1),
    productName: "Product",
    unitPrice: Money.make(1_000),
    quantity: Quantity.make(1),
  })
  const orderId = OrderId.make(id)
  return {
    order: new Order({
      id: orderId,
      userId: UserId.make(1),
      lines: [line],
      subtotal: Money.make(1_000),
      discount: Money.zero,
      paidAmount: Money.make(1_000),
      paymentType: "CARD",
      status: "PAID",
      history: [new StatusChange({ status: "PAID", at })],
      createdAt: at,
    }),
    payment: new Payment({
      orderId,
      type: "CARD",
      status: "SUCCESS",
      amount: Money.make(1_000),
      transactionKey: `TR-${id}`,
      attempts: 1,
      updatedAt: at,
    }),
  }
}

/** The schema and rows as they were before 0006: refunds owed as JSON in `payment.reason`. */
const legacy = {
  1: '{"refundsOwed":["TR-1-a","TR-1-b"],"reason":"a reason"}',
  2: '{"refundsOwed":["TR-2-a"]}',
  3: "a plain reason",
  4: null,
  // Starts like the old encoding but is not it: a reason, kept as it is.
  5: '{"refundsOwed": not json',
} as const

const expected = (id: number) =>
  ({
    1: { refundsOwed: ["TR-1-a", "TR-1-b"], reason: "a reason" },
    2: { refundsOwed: ["TR-2-a"], reason: undefined },
    3: { refundsOwed: undefined, reason: "a plain reason" },
    4: { refundsOwed: undefined, reason: undefined },
    5: { refundsOwed: undefined, reason: '{"refundsOwed": not json' },
  })[id]

const ids = [1, 2, 3, 4, 5]

const seedLegacy = Effect.gen(function* () {
  const sql = yield* SqlClient
  const repo = yield* OrderRepository
  for (const id of ids) yield* repo.insert(paidCardOrder(id))
  yield* sql`DROP TABLE payment_refund_owed`
  yield* sql`ALTER TABLE payment DROP COLUMN refunds_owed_count`
  for (const id of ids)
    yield* sql`UPDATE payment SET reason = ${legacy[id as keyof typeof legacy]} WHERE order_id = ${id}`
})

const readAll = Effect.gen(function* () {
  const repo = yield* OrderRepository
  return yield* Effect.forEach(ids, (id) =>
    Effect.map(repo.findById(OrderId.make(id)), (found) => {
      const payment = Option.getOrThrow(found).payment
      return { refundsOwed: payment.refundsOwed, reason: payment.reason }
    }),
  )
})

const tables = Effect.flatMap(SqlClient, (sql) =>
  sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'payment_refund_owed%'`.pipe(
    Effect.map((rows) => rows.map((row) => row.name).sort()),
  ),
)

describeMysql("migration 0006: refunds owed move out of payment.reason", () => {
  const db = useTestDatabase()

  it.live("moves the JSON-in-reason values into payment_refund_owed; a second run changes nothing", () =>
    Effect.gen(function* () {
      yield* seedLegacy
      yield* migration
      expect(yield* readAll).toEqual(ids.map(expected))
      expect(yield* tables).toEqual(["payment_refund_owed"])
      yield* migration
      expect(yield* readAll).toEqual(ids.map(expected))
      // The moved refunds behave like any others: a write from the payment read keeps them.
      const repo = yield* OrderRepository
      const read = Option.getOrThrow(yield* repo.findById(OrderId.make(1))).payment
      const next = new Payment({ ...read, refundsOwed: [...(read.refundsOwed ?? []), "TR-1-c"] }, true)
      expect(yield* repo.savePayment(next, read)).toBe(true)
      expect(Option.getOrThrow(yield* repo.findById(OrderId.make(1))).payment.refundsOwed).toEqual([
        "TR-1-a",
        "TR-1-b",
        "TR-1-c",
      ])
    }).pipe(Effect.provide(db.fresh(OrderRepositoryMysql))),
  )

  it.live("a run cut short before its move committed, or before its rename, is finished by the next", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient
      yield* seedLegacy
      // Cut short inside the move: the staging table exists, nothing moved yet.
      yield* sql`CREATE TABLE payment_refund_owed_0006 (order_id BIGINT UNSIGNED NOT NULL, seq INT UNSIGNED NOT NULL,
        transaction_key VARCHAR(255) NOT NULL, PRIMARY KEY (order_id, seq))`
      yield* migration
      expect(yield* readAll).toEqual(ids.map(expected))
      // Cut short after the move committed, before the rename.
      yield* sql`RENAME TABLE payment_refund_owed TO payment_refund_owed_0006`
      yield* migration
      expect(yield* tables).toEqual(["payment_refund_owed"])
      expect(yield* readAll).toEqual(ids.map(expected))
    }).pipe(Effect.provide(db.fresh(OrderRepositoryMysql))),
  )
})
