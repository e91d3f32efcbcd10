import { describe, expect, it } from "@effect/vitest"
import { test } from "@fast-check/vitest"
import { Either } from "effect"
import fc from "fast-check"
import { Money } from "../../src/index.js"
import { create, type Order, type OrderStatus } from "../../src/orders/Order.js"
import {
  cancel,
  canTransition,
  holdsResources,
  isTerminal,
  markPaid,
  markPaymentFailed,
} from "../../src/orders/OrderStatusMachine.js"
import { linesArb, orderId, userId } from "./arbitraries.js"

const statuses: ReadonlyArray<OrderStatus> = ["PENDING_PAYMENT", "PAID", "PAYMENT_FAILED", "CANCELLED"]
const allowed = new Set([
  "PENDING_PAYMENT>PAID",
  "PENDING_PAYMENT>PAYMENT_FAILED",
  "PENDING_PAYMENT>CANCELLED",
  "PAID>CANCELLED",
])

type Command = "pay" | "fail" | "cancel"
const apply = (order: Order, command: Command, now: Date) =>
  command === "pay"
    ? markPaid(order, now)
    : command === "fail"
      ? markPaymentFailed(order, "declined", now)
      : cancel(order, now)
const target: Record<Command, OrderStatus> = { pay: "PAID", fail: "PAYMENT_FAILED", cancel: "CANCELLED" }

const fresh = (lines: Parameters<typeof create>[0]["lines"]) =>
  Either.getOrThrow(
    create({ id: orderId(9), userId: userId(1), lines, discount: Money.zero, paymentType: "CARD", now: new Date(0) }),
  ).order

describe("OrderStatusMachine", () => {
  it("allows exactly the documented transitions", () => {
    for (const from of statuses)
      for (const to of statuses) expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`))
    expect(statuses.filter(isTerminal)).toEqual(["PAYMENT_FAILED", "CANCELLED"])
    expect(statuses.filter(holdsResources)).toEqual(["PENDING_PAYMENT", "PAID"])
  })

  test.prop([linesArb(1, 5), fc.array(fc.constantFrom<Command>("pay", "fail", "cancel"), { maxLength: 8 })])(
    "any command sequence follows the machine, records each move with its time and raises one event per move",
    (lines, commands) => {
      let order = fresh(lines)
      let expectedStatus: OrderStatus = "PENDING_PAYMENT"
      const expectedHistory: Array<[OrderStatus, number]> = [["PENDING_PAYMENT", 0]]
      commands.forEach((command, i) => {
        const now = new Date((i + 1) * 1000)
        const result = apply(order, command, now)
        const to = target[command]
        if (canTransition(expectedStatus, to)) {
          const change = Either.getOrThrow(result)
          expect(change.events).toHaveLength(1)
          const event = change.events[0]
          expect(event?.orderId).toBe(order.id)
          if (event?._tag === "OrderCancelled") expect(event.refunded).toBe(expectedStatus === "PAID")
          if (event?._tag === "OrderPaid") expect(event.paidAmount).toBe(order.paidAmount)
          order = change.order
          expectedStatus = to
          expectedHistory.push([to, now.getTime()])
        } else {
          expect(Either.isLeft(result)).toBe(true)
          if (Either.isLeft(result)) {
            expect(result.left.code).toBe("INVALID_ORDER_STATUS")
            expect(result.left.from).toBe(expectedStatus)
            expect(result.left.to).toBe(to)
          }
        }
        expect(order.status).toBe(expectedStatus)
        expect(order.history.map((h) => [h.status, h.at.getTime()])).toEqual(expectedHistory)
      })
    },
  )

  test.prop([linesArb(1, 5)])("transitions never change lines or amounts", (lines) => {
    const order = fresh(lines)
    const paid = Either.getOrThrow(markPaid(order, new Date(5))).order
    const cancelled = Either.getOrThrow(cancel(paid, new Date(6))).order
    for (const o of [paid, cancelled]) {
      expect(o.lines).toEqual(order.lines)
      expect([o.subtotal, o.discount, o.paidAmount]).toEqual([order.subtotal, order.discount, order.paidAmount])
    }
  })
})
