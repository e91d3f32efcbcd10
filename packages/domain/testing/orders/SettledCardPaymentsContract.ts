import {
  type OrderId,
  type OrderRecord,
  OrderRepository,
  type OrderStatus,
  Payment,
  type PaymentStatus,
  type SettledPaymentCursor,
  touchedAt,
  updatePayment,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { asUser, at, orderRecord } from "./OrderFixtures.js"

const orderStatusFor: Record<Exclude<PaymentStatus, "PENDING">, OrderStatus> = {
  SUCCESS: "PAID",
  FAILED: "PAYMENT_FAILED",
  CANCELLED: "CANCELLED",
  REFUNDED: "CANCELLED",
}

/** A card order placed (last request) at `requestedAt`, settled with `status` at `settledAt`. */
const settle = (
  record: OrderRecord,
  status: Exclude<PaymentStatus, "PENDING">,
  settledAt: Date,
  extra: Partial<Payment> = {},
) =>
  Effect.gen(function* () {
    const repo = yield* OrderRepository
    expect(yield* repo.transition(record.order.id, "PENDING_PAYMENT", orderStatusFor[status], settledAt)).toBe(true)
    const payment = updatePayment(record.payment, {
      status,
      transactionKey: `TR-${record.order.id}`,
      updatedAt: settledAt,
      ...extra,
    })
    expect(yield* repo.savePayment(payment, record.payment)).toBe(true)
    return payment
  })

const placeCard = (requestedAt: Date) =>
  Effect.gen(function* () {
    const repo = yield* OrderRepository
    const record = orderRecord({ id: yield* repo.nextId, userId: asUser(1), createdAt: requestedAt })
    yield* repo.insert(record)
    return record
  })

/** Every page from `since`, each read after the previous one's last (touched, order id). */
const walk = (since: Date, limit: number) =>
  Effect.gen(function* () {
    const repo = yield* OrderRepository
    const pages: Array<ReadonlyArray<OrderId>> = []
    let after: SettledPaymentCursor | undefined
    for (let i = 0; i < 1_000; i++) {
      const page = yield* repo.settledCardPayments({ since, after, limit })
      if (page.length === 0) break
      expect(page.length).toBeLessThanOrEqual(limit)
      pages.push(page.map((p) => p.orderId))
      const last = page[page.length - 1] as Payment
      after = { touchedAt: touchedAt(last), orderId: last.orderId }
    }
    return pages
  })

/** OrderRepository.settledCardPayments: the scan behind the recheck of settled card payments. */
export const settledCardPaymentsContract = (makeLayer: () => Layer.Layer<OrderRepository, unknown>) => {
  describe("settledCardPayments", () => {
    it.effect("only settled CARD payments touched since the time, in (touched, order id) order", () =>
      Effect.gen(function* () {
        const repo = yield* OrderRepository
        const early = yield* placeCard(at(5))
        yield* settle(early, "SUCCESS", at(300))
        const paid = yield* placeCard(at(10))
        yield* settle(paid, "SUCCESS", at(11))
        yield* placeCard(at(20)) // still pending
        const pointId = yield* repo.nextId
        yield* repo.insert(
          orderRecord({ id: pointId, userId: asUser(1), createdAt: at(30), paymentType: "POINT", status: "PAID" }),
        )
        const failed = yield* placeCard(at(40))
        yield* settle(failed, "FAILED", at(41))
        const cancelled = yield* placeCard(at(40))
        yield* settle(cancelled, "CANCELLED", at(42))
        const refunded = yield* placeCard(at(50))
        const owed = yield* settle(refunded, "REFUNDED", at(51), { refundsOwed: ["TR-x", "TR-y"] })
        // Never requested (nothing to pay): touched when last written.
        const free = yield* placeCard(at(1))
        const { lastAttemptAt: _last, ...unrequested } = free.payment
        const freePaid = new Payment({ ...unrequested, attempts: 0, status: "SUCCESS", updatedAt: at(70) }, true)
        expect(yield* repo.savePayment(freePaid, free.payment)).toBe(true)

        const found = yield* repo.settledCardPayments({ since: at(8), limit: 10 })
        // The early order settled at 300, but its last request was at 5: outside the window.
        expect(found.map((p) => p.orderId)).toEqual([
          paid.order.id,
          failed.order.id,
          cancelled.order.id,
          refunded.order.id,
          free.order.id,
        ])
        expect(found.map((p) => p.status)).toEqual(["SUCCESS", "FAILED", "CANCELLED", "REFUNDED", "SUCCESS"])
        expect(found[3]).toEqual(owed)
        expect(found[4]).toEqual(freePaid)
        expect(found.map((p) => touchedAt(p).getTime())).toEqual([10, 40, 40, 50, 70].map((s) => at(s).getTime()))

        const second = yield* repo.settledCardPayments({
          since: at(8),
          after: { touchedAt: at(40), orderId: failed.order.id },
          limit: 2,
        })
        expect(second.map((p) => p.orderId)).toEqual([cancelled.order.id, refunded.order.id])
        // A cursor before `since` does not widen the window.
        const before = yield* repo.settledCardPayments({
          since: at(45),
          after: { touchedAt: at(0), orderId: paid.order.id },
          limit: 10,
        })
        expect(before.map((p) => p.orderId)).toEqual([refunded.order.id, free.order.id])
        expect(yield* repo.settledCardPayments({ since: at(8), limit: 0 })).toEqual([])
        expect(yield* repo.settledCardPayments({ since: at(71), limit: 10 })).toEqual([])
        expect(Option.isSome(yield* repo.findById(early.order.id))).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("pages through over a hundred payments with tied times, each exactly once and in order", () =>
      Effect.gen(function* () {
        const statuses = ["SUCCESS", "FAILED", "CANCELLED", "REFUNDED"] as const
        const expected: Array<{ readonly id: OrderId; readonly touched: number }> = []
        for (let i = 0; i < 132; i++) {
          // 12 distinct request times, so most pages end inside a run of equal times.
          const requestedAt = at(100 + (i % 12))
          const record = yield* placeCard(requestedAt)
          if (i % 9 === 4) continue // left pending
          yield* settle(record, statuses[i % 4] ?? "SUCCESS", at(500 + i))
          expect(touchedAt(record.payment).getTime()).toBe(requestedAt.getTime())
          expect(record.order.id).toBeGreaterThan(expected.at(-1)?.id ?? 0)
          expected.push({ id: record.order.id, touched: requestedAt.getTime() })
        }
        const ordered = [...expected].sort((a, b) => a.touched - b.touched || a.id - b.id).map((e) => e.id)
        for (const limit of [1, 7, 50, 500]) {
          const pages = yield* walk(at(0), limit)
          expect(pages.flat()).toEqual(ordered)
          expect(pages.length).toBe(Math.ceil(ordered.length / limit))
        }
        const late = ordered.filter((id) => (expected.find((e) => e.id === id)?.touched ?? 0) >= at(106).getTime())
        expect((yield* walk(at(106), 13)).flat()).toEqual(late)
      }).pipe(Effect.provide(makeLayer())),
    )
  })
}
