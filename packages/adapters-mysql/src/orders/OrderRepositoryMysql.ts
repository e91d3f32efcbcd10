import {
  makePage,
  type Order,
  OrderId,
  type OrderRecord,
  OrderRepository,
  PaymentStatus,
  type UserId,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { affectedRows, insertId, makeDb } from "../internal/Db.js"
import { makeIdBlocks } from "../internal/IdBlocks.js"
import { type HistoryRow, type LineRow, type OrderRow, orderColumns, toOrder } from "./OrderRows.js"
import {
  paymentColumns,
  paymentValues,
  refundOwedRows,
  refundsOwedRead,
  selectPayments,
  toPayments,
  withRefundsOwed,
} from "./PaymentRows.js"

const settledStatuses = PaymentStatus.literals.filter((status) => status !== "PENDING")

const groupBy = <R extends { readonly order_id: number }>(rows: ReadonlyArray<R>) => {
  const groups = new Map<number, Array<R>>()
  for (const row of rows) {
    const id = Number(row.order_id)
    const group = groups.get(id)
    if (group) group.push(row)
    else groups.set(id, [row])
  }
  return groups
}

/**
 * Orders in five tables written together (refunds owed of a payment have their own). Status changes are `UPDATE orders SET status = ?
 * WHERE id = ? AND status = ?`: the matched-row count decides the race, and the history row
 * is appended under the order's row lock in the same transaction.
 */
export const OrderRepositoryMysql = Layer.effect(
  OrderRepository,
  Effect.gen(function* () {
    const { sql, run, joined, deferred } = yield* makeDb
    // One round trip per block: the block number comes from the auto-increment counter, which
    // keeps its place when the row is deleted again (so the table stays empty) and never hands
    // a number out twice, rolled back or not.
    const ids = yield* makeIdBlocks(
      run(
        sql`INSERT INTO order_id_seq () VALUES (); DELETE FROM order_id_seq WHERE id = LAST_INSERT_ID()`.unprepared,
      ).pipe(Effect.map((results) => insertId(results[0]))),
      (id) => OrderId.make(id),
    )

    /** The orders of `rows` with their lines and history, in the order of `rows`. */
    const withDetails = (rows: ReadonlyArray<OrderRow>) =>
      Effect.gen(function* () {
        if (rows.length === 0) return [] as Array<Order>
        const ids = rows.map((row) => Number(row.id))
        const lines = groupBy(
          yield* run(sql<LineRow>`SELECT order_id, product_id, product_name, unit_price, quantity FROM order_line
            WHERE ${sql.in("order_id", ids)} ORDER BY order_id, line_no`),
        )
        const history = groupBy(
          yield* run(sql<HistoryRow>`SELECT order_id, status, at FROM order_status_history
            WHERE ${sql.in("order_id", ids)} ORDER BY order_id, id`),
        )
        return rows.map((row) => toOrder(row, lines.get(Number(row.id)) ?? [], history.get(Number(row.id)) ?? []))
      })

    const findRecord = (orderId: OrderId, owner: UserId | undefined) =>
      Effect.gen(function* () {
        const rows = yield* run(sql<OrderRow>`SELECT ${sql.literal(orderColumns)} FROM orders WHERE id = ${orderId}
          ${owner === undefined ? sql`` : sql`AND user_id = ${owner}`}`)
        if (rows.length === 0) return Option.none<OrderRecord>()
        const payments = toPayments(yield* run(selectPayments(sql, { where: sql`order_id = ${orderId}` })))
        const [order] = yield* withDetails(rows)
        if (order === undefined || payments[0] === undefined) return Option.none<OrderRecord>()
        return Option.some({ order, payment: payments[0] })
      })

    return OrderRepository.of({
      nextId: ids.next,

      // Every row of the order in one multi-statement round trip, inside one transaction.
      insert: ({ order, payment }) => {
        const statements = [
          sql`INSERT INTO orders ${sql.insert({
            id: order.id,
            user_id: order.userId,
            subtotal: order.subtotal,
            discount: order.discount,
            paid_amount: order.paidAmount,
            coupon_id: order.couponId ?? null,
            payment_type: order.paymentType,
            status: order.status,
            created_at: order.createdAt,
          })}`,
          sql`INSERT INTO payment ${sql.insert(paymentValues(payment))}`,
        ]
        const owed = refundOwedRows(payment)
        if (owed.length > 0) statements.push(sql`INSERT INTO payment_refund_owed ${sql.insert(owed)}`)
        if (order.lines.length > 0) {
          statements.push(
            sql`INSERT INTO order_line ${sql.insert(
              order.lines.map((line, i) => ({
                order_id: order.id,
                line_no: i + 1,
                product_id: line.productId,
                product_name: line.productName,
                unit_price: line.unitPrice,
                quantity: line.quantity,
              })),
            )}`,
          )
        }
        if (order.history.length > 0) {
          statements.push(
            sql`INSERT INTO order_status_history ${sql.insert(
              order.history.map((change) => ({ order_id: order.id, status: change.status, at: change.at })),
            )}`,
          )
        }
        // Deferred to the transaction's next round trip: order ids come from the id blocks, so a
        // new order's rows collide with nothing. Outside a transaction they commit together.
        return joined(Effect.forEach(statements, deferred, { discard: true }))
      },

      findById: (orderId) => findRecord(orderId, undefined),
      findForUser: (userId, orderId) => findRecord(orderId, userId),

      pageByUser: (userId, page) =>
        Effect.gen(function* () {
          const rows = yield* run(sql<OrderRow>`SELECT ${sql.literal(orderColumns)} FROM orders
            WHERE user_id = ${userId} ORDER BY created_at DESC, id DESC LIMIT ${page.size} OFFSET ${page.offset}`)
          const total = yield* run(sql<{ n: number }>`SELECT COUNT(*) AS n FROM orders WHERE user_id = ${userId}`)
          return makePage(yield* withDetails(rows), page, Number(total[0]?.n ?? 0))
        }),

      transition: (orderId, from, to, at) =>
        joined(
          Effect.gen(function* () {
            const moved = yield* run(
              sql`UPDATE orders SET status = ${to} WHERE id = ${orderId} AND status = ${from}`.raw,
            )
            if (affectedRows(moved) === 0) return false
            yield* run(sql`INSERT INTO order_status_history ${sql.insert({ order_id: orderId, status: to, at })}`.raw)
            return true
          }),
        ),

      // Compare-and-set: matched rows decide whether the payment was still what the caller read
      // (with the number of refunds owed it read, when known). The refund rows are replaced
      // under the payment row's lock, in the same transaction; a payment that owed none and
      // owes none (nearly all) is the one UPDATE.
      savePayment: (payment, expected) => {
        const { order_id: _id, ...values } = paymentValues(payment)
        const owedRead = refundsOwedRead(expected)
        const write = run(
          sql`UPDATE payment SET ${sql.update(values)} WHERE order_id = ${payment.orderId}
            AND status = ${expected.status} AND attempts = ${expected.attempts}
            AND transaction_key <=> ${expected.transactionKey ?? null}
            ${owedRead === undefined ? sql`` : sql`AND refunds_owed_count = ${owedRead}`}`.raw,
        ).pipe(Effect.map((raw) => affectedRows(raw) === 1))
        if (owedRead === 0 && values.refunds_owed_count === 0) return write
        const owed = refundOwedRows(payment)
        const replace = [sql`DELETE FROM payment_refund_owed WHERE order_id = ${payment.orderId}`]
        if (owed.length > 0) replace.push(sql`INSERT INTO payment_refund_owed ${sql.insert(owed)}`)
        return joined(
          Effect.gen(function* () {
            if (!(yield* write)) return false
            yield* run(sql`${sql.join("; ", false)(replace)}`.unprepared)
            return true
          }),
        )
      },

      claimPaymentAttempt: (orderId, attempts, at) =>
        run(
          sql`UPDATE payment SET attempts = attempts + 1, last_attempt_at = ${at}, touched_at = ${at}
          WHERE order_id = ${orderId} AND status = 'PENDING' AND attempts = ${attempts}`.raw,
        ).pipe(Effect.map((raw) => affectedRows(raw) === 1)),

      pendingCardPayments: (before, limit) =>
        limit <= 0
          ? Effect.succeed([])
          : run(
              selectPayments(sql, {
                where: sql`type = 'CARD' AND status = 'PENDING' AND touched_at < ${before}`,
                orderBy: ["touched_at", "order_id"],
                limit,
              }),
            ).pipe(Effect.map(toPayments)),

      // One index-ordered range of ix_payment_pending per settled status, each cut at `limit`,
      // merged: every page reads at most (statuses x limit) index entries, however long the window.
      settledCardPayments: ({ since, after, limit }) => {
        if (limit <= 0) return Effect.succeed([])
        const n = Math.floor(limit)
        const from = after !== undefined && after.touchedAt > since ? after.touchedAt : since
        const keyset =
          after === undefined ? sql`` : sql`AND (touched_at > ${after.touchedAt} OR order_id > ${after.orderId})`
        const ranges = settledStatuses.map(
          (status) => sql`(SELECT ${sql.literal(paymentColumns)} FROM payment
            WHERE type = 'CARD' AND status = ${status} AND touched_at >= ${from} ${keyset}
            ORDER BY touched_at, order_id LIMIT ${n})`,
        )
        const merged = sql`SELECT * FROM (${sql.join(" UNION ALL ", false)(ranges)}) AS settled
          ORDER BY touched_at, order_id LIMIT ${n}`
        return run(withRefundsOwed(sql, merged, ["touched_at", "order_id"])).pipe(Effect.map(toPayments))
      },
    })
  }),
)
