import {
  Order,
  type OrderId,
  type OrderRecord,
  OrderRepository,
  pageOf,
  StatusChange,
  touchedAt,
  type UserId,
  updatePayment,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

const newestFirst = (a: Order, b: Order) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id
const touched = (r: OrderRecord) => touchedAt(r.payment).getTime()
const byTouched = (a: OrderRecord, b: OrderRecord) => touched(a) - touched(b) || a.order.id - b.order.id

/**
 * The `limit` first rows matching `keep` in `compare` order, without sorting every match: scans
 * page through the whole table once per page, so a page costs one pass, not a sort of the rest.
 */
const firstMatching = <A>(
  rows: ReadonlyArray<A>,
  keep: (row: A) => boolean,
  compare: (a: A, b: A) => number,
  limit: number,
): Array<A> => {
  const out: Array<A> = []
  const size = Math.max(0, Math.floor(limit))
  if (size === 0) return out
  for (const row of rows) {
    if (!keep(row)) continue
    if (out.length === size && compare(row, out[size - 1] as A) >= 0) continue
    let lo = 0
    let hi = out.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compare(out[mid] as A, row) <= 0) lo = mid + 1
      else hi = mid
    }
    out.splice(lo, 0, row)
    if (out.length > size) out.pop()
  }
  return out
}

/** Orders with their payment record in one table keyed by order id (one row = one aggregate). */
export const OrderRepositoryMemory = Layer.effect(
  OrderRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const orders = db.table<OrderId, OrderRecord>("orders", { keys: "sequence" })

    const update = (orderId: OrderId, f: (record: OrderRecord) => OrderRecord | undefined) =>
      db.write((tx) =>
        Effect.sync(() => {
          const record = tx.get(orders, orderId)
          const next = record && f(record)
          if (next === undefined) return false
          tx.set(orders, orderId, next)
          return true
        }),
      )

    return OrderRepository.of({
      nextId: Effect.sync(() => db.nextId("orders") as OrderId),
      insert: (record) =>
        db.write((tx) => {
          tx.set(orders, record.order.id, record)
          return Effect.void
        }),
      findById: (orderId) => db.read((view) => Option.fromNullable(view.get(orders, orderId))),
      findForUser: (userId, orderId) =>
        db.read((view) =>
          Option.filter(Option.fromNullable(view.get(orders, orderId)), (r) => r.order.userId === userId),
        ),
      pageByUser: (userId: UserId, page) =>
        db.read((view) =>
          pageOf(
            view
              .values(orders)
              .filter((r) => r.order.userId === userId)
              .map((r) => r.order)
              .sort(newestFirst),
            page,
          ),
        ),
      transition: (orderId, from, to, at) =>
        update(orderId, (record) =>
          record.order.status !== from
            ? undefined
            : {
                order: new Order(
                  {
                    ...record.order,
                    status: to,
                    history: [...record.order.history, new StatusChange({ status: to, at }, true)],
                  },
                  true,
                ),
                payment: record.payment,
              },
        ),
      savePayment: (payment, expected) =>
        update(payment.orderId, (record) =>
          record.payment.status !== expected.status ||
          record.payment.attempts !== expected.attempts ||
          record.payment.transactionKey !== expected.transactionKey
            ? undefined
            : { order: record.order, payment },
        ),
      claimPaymentAttempt: (orderId, attempts, at) =>
        update(orderId, (record) =>
          record.payment.status !== "PENDING" || record.payment.attempts !== attempts
            ? undefined
            : {
                order: record.order,
                payment: updatePayment(record.payment, { attempts: attempts + 1, lastAttemptAt: at }),
              },
        ),
      pendingCardPayments: (before, limit) =>
        db.read((view) =>
          firstMatching(
            view.values(orders),
            (r) => r.payment.type === "CARD" && r.payment.status === "PENDING" && touched(r) < before.getTime(),
            byTouched,
            limit,
          ).map((r) => r.payment),
        ),
      settledCardPayments: ({ since, after, limit }) =>
        db.read((view) => {
          const from = since.getTime()
          const isAfter = (r: OrderRecord) =>
            after === undefined ||
            touched(r) > after.touchedAt.getTime() ||
            (touched(r) === after.touchedAt.getTime() && r.order.id > after.orderId)
          return firstMatching(
            view.values(orders),
            (r) => r.payment.type === "CARD" && r.payment.status !== "PENDING" && touched(r) >= from && isAfter(r),
            byTouched,
            limit,
          ).map((r) => r.payment)
        }),
    })
  }),
)
