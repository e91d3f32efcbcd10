import { OrderRepository, PageRequest, Payment, updatePayment } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { asCoupon, asOrder, asUser, at, orderRecord } from "./OrderFixtures.js"
import { settledCardPaymentsContract } from "./SettledCardPaymentsContract.js"

/**
 * The behaviour every OrderRepository adapter must show. `makeLayer` is called once per test
 * and must give an empty store. User and product ids are plain numbers; the suite stores no
 * users or products.
 */
export const orderRepositoryContract = (makeLayer: () => Layer.Layer<OrderRepository, unknown>) => {
  describe("OrderRepository contract", () => {
    it.effect("hands out distinct increasing ids", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const ids = yield* Effect.all(
          Array.from({ length: 50 }, () => repo.nextId),
          { concurrency: "unbounded" },
        )
        expect(new Set(ids).size).toBe(50)
        expect(ids.every((id) => id > 0)).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("stores an order with lines, history and payment; only its owner finds it", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const id = yield* repo.nextId
        const record = orderRecord({
          id,
          userId: asUser(1),
          couponId: asCoupon(9),
          lines: [
            { productId: 5, price: 1500, quantity: 2 },
            { productId: 3, price: 700, quantity: 1 },
          ],
        })
        yield* repo.insert(record)
        const found = yield* repo.findById(id)
        expect(Option.getOrThrow(found)).toEqual(record)
        expect(Option.getOrThrow(yield* repo.findForUser(asUser(1), id))).toEqual(record)
        expect(Option.isNone(yield* repo.findForUser(asUser(2), id))).toBe(true)
        expect(Option.isNone(yield* repo.findById(asOrder(id + 1000)))).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("pages a user's orders newest first, ties by higher id first", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const made: Array<number> = []
        for (let i = 0; i < 7; i++) {
          const id = yield* repo.nextId
          made.push(id)
          yield* repo.insert(orderRecord({ id, userId: asUser(1), createdAt: at(i < 2 ? 0 : i) }))
          const other = yield* repo.nextId
          yield* repo.insert(orderRecord({ id: other, userId: asUser(2), createdAt: at(i) }))
        }
        const first = yield* repo.pageByUser(asUser(1), PageRequest.make({ page: 0, size: 3 }))
        const second = yield* repo.pageByUser(asUser(1), PageRequest.make({ page: 2, size: 3 }))
        const expected = [made[6], made[5], made[4], made[3], made[2], made[1], made[0]]
        expect(first.items.map((o) => o.id)).toEqual(expected.slice(0, 3))
        expect(second.items.map((o) => o.id)).toEqual(expected.slice(6))
        expect([first.totalElements, first.totalPages, first.hasNext, second.hasNext]).toEqual([7, 3, true, false])
        expect((yield* repo.pageByUser(asUser(3), PageRequest.make({}))).totalElements).toBe(0)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("transition applies only from the expected status and records the time", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const id = yield* repo.nextId
        yield* repo.insert(orderRecord({ id, userId: asUser(1) }))
        expect(yield* repo.transition(id, "PAID", "CANCELLED", at(5))).toBe(false)
        expect(yield* repo.transition(id, "PENDING_PAYMENT", "PAID", at(6))).toBe(true)
        expect(yield* repo.transition(id, "PENDING_PAYMENT", "PAYMENT_FAILED", at(7))).toBe(false)
        expect(yield* repo.transition(asOrder(id + 99), "PENDING_PAYMENT", "PAID", at(7))).toBe(false)
        const order = Option.getOrThrow(yield* repo.findById(id)).order
        expect(order.status).toBe("PAID")
        expect(order.history.map((h) => [h.status, h.at.getTime()])).toEqual([
          ["PENDING_PAYMENT", at(0).getTime()],
          ["PAID", at(6).getTime()],
        ])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("of hundreds of racing transitions from the same status exactly one wins", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const id = yield* repo.nextId
        yield* repo.insert(orderRecord({ id, userId: asUser(1) }))
        const targets = ["PAID", "PAYMENT_FAILED", "CANCELLED"] as const
        const results = yield* Effect.all(
          Array.from({ length: 300 }, (_, i) =>
            repo.transition(id, "PENDING_PAYMENT", targets[i % 3] ?? "PAID", at(i)),
          ),
          { concurrency: "unbounded" },
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        const order = Option.getOrThrow(yield* repo.findById(id)).order
        expect(order.history).toHaveLength(2)
        expect(order.status).toBe(targets[results.indexOf(true) % 3])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("savePayment replaces the payment record only over the version it was computed from", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const id = yield* repo.nextId
        const record = orderRecord({ id, userId: asUser(1) })
        yield* repo.insert(record)
        const accepted = updatePayment(record.payment, { transactionKey: "TR-1", updatedAt: at(2) })
        expect(accepted.card).toBeUndefined()
        expect(accepted.maskedCard?.cardNo).toBe("****-****-****-3456")
        expect(yield* repo.savePayment(accepted, record.payment)).toBe(true)
        expect(Option.getOrThrow(yield* repo.findById(id)).payment).toEqual(accepted)
        // Computed from the record before TR-1 was stored: stale, so nothing is written.
        const stale = updatePayment(record.payment, { status: "FAILED", reason: "stale", updatedAt: at(3) })
        expect(yield* repo.savePayment(stale, record.payment)).toBe(false)
        const paid = updatePayment(accepted, { status: "SUCCESS", refundsOwed: ["TR-2"], updatedAt: at(4) })
        // Extra charges owed back are stored with the payment, with or beside a reason.
        const owed = updatePayment(accepted, { status: "REFUNDED", reason: "a reason", refundsOwed: ["TR-2", "TR-3"] })
        expect(yield* repo.savePayment(owed, accepted)).toBe(true)
        expect(Option.getOrThrow(yield* repo.findById(id)).payment).toEqual(owed)
        expect(yield* repo.savePayment(accepted, owed)).toBe(true)
        expect(yield* repo.savePayment(paid, accepted)).toBe(true)
        // A stale attempt count or status loses too.
        expect(yield* repo.savePayment(updatePayment(paid, { reason: "x" }), { ...paid, attempts: 7 })).toBe(false)
        expect(yield* repo.savePayment(updatePayment(paid, { reason: "x" }), accepted)).toBe(false)
        expect(Option.getOrThrow(yield* repo.findById(id)).payment).toEqual(paid)
        const elsewhere = new Payment({ ...paid, orderId: asOrder(id + 1000) }, true)
        expect(yield* repo.savePayment(elsewhere, paid)).toBe(false)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("of hundreds of racing payment writes from the same version exactly one applies", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const id = yield* repo.nextId
        const record = orderRecord({ id, userId: asUser(1) })
        yield* repo.insert(record)
        const results = yield* Effect.all(
          Array.from({ length: 200 }, (_, i) =>
            repo.savePayment(
              updatePayment(record.payment, { transactionKey: `TR-${i}`, updatedAt: at(i) }),
              record.payment,
            ),
          ),
          { concurrency: "unbounded" },
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        const stored = Option.getOrThrow(yield* repo.findById(id)).payment
        expect(stored.transactionKey).toBe(`TR-${results.indexOf(true)}`)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("claimPaymentAttempt: exactly one of many racing claimers gets each attempt", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const id = yield* repo.nextId
        yield* repo.insert(orderRecord({ id, userId: asUser(1) }))
        const results = yield* Effect.all(
          Array.from({ length: 200 }, () => repo.claimPaymentAttempt(id, 1, at(10))),
          { concurrency: "unbounded" },
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        const payment = Option.getOrThrow(yield* repo.findById(id)).payment
        expect(payment.attempts).toBe(2)
        expect(payment.lastAttemptAt?.getTime()).toBe(at(10).getTime())
        expect(yield* repo.savePayment(updatePayment(payment, { status: "FAILED" }), payment)).toBe(true)
        expect(yield* repo.claimPaymentAttempt(id, 2, at(11))).toBe(false)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("lists pending card payments last touched before a time, oldest first, up to a limit", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const ids: Array<number> = []
        for (const [seconds, type, status] of [
          [30, "CARD", "PENDING_PAYMENT"],
          [10, "CARD", "PENDING_PAYMENT"],
          [20, "CARD", "PENDING_PAYMENT"],
          [5, "POINT", "PAID"],
          [6, "CARD", "PAID"],
          [200, "CARD", "PENDING_PAYMENT"],
        ] as const) {
          const id = yield* repo.nextId
          ids.push(id)
          yield* repo.insert(orderRecord({ id, userId: asUser(1), createdAt: at(seconds), paymentType: type, status }))
        }
        const due = yield* repo.pendingCardPayments(at(100), 10)
        expect(due.map((p) => p.orderId)).toEqual([ids[1], ids[2], ids[0]])
        expect((yield* repo.pendingCardPayments(at(100), 2)).map((p) => p.orderId)).toEqual([ids[1], ids[2]])
        yield* repo.claimPaymentAttempt(asOrder(ids[1] ?? 0), 1, at(150))
        expect((yield* repo.pendingCardPayments(at(100), 10)).map((p) => p.orderId)).toEqual([ids[2], ids[0]])
      }).pipe(Effect.provide(makeLayer())),
    )

    settledCardPaymentsContract(makeLayer)
  })
}
