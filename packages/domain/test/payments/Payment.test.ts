import { describe, expect } from "@effect/vitest"
import { test } from "@fast-check/vitest"
import { Schema } from "effect"
import fc from "fast-check"
import { Money } from "../../src/index.js"
import {
  Card,
  isChargeRecorded,
  MaskedCard,
  maskCard,
  Payment,
  PaymentStatus,
  touchedAt,
  updatePayment,
} from "../../src/payments/Payment.js"
import type { OrderId } from "../../src/shared/Ids.js"

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(""))
const cardArb = fc
  .tuple(
    fc.constantFrom("SAMSUNG" as const, "KB" as const, "HYUNDAI" as const),
    digits(4),
    digits(4),
    digits(4),
    digits(4),
  )
  .map(([cardType, a, b, c, d]) => new Card({ cardType, cardNo: `${a}-${b}-${c}-${d}` }))
const statusArb = fc.constantFrom(...PaymentStatus.literals)

const pending = (card: Card) =>
  new Payment({
    orderId: 1 as OrderId,
    type: "CARD",
    status: "PENDING",
    amount: Money.make(1_000),
    card,
    maskedCard: maskCard(card),
    attempts: 1,
    updatedAt: new Date(0),
  })

describe("Payment card data", () => {
  test.prop([cardArb])("the masked card keeps the type and the last four digits only", (card) => {
    const masked = maskCard(card)
    expect(Schema.is(MaskedCard)(masked)).toBe(true)
    expect(masked.cardType).toBe(card.cardType)
    expect(masked.cardNo.slice(-4)).toBe(card.cardNo.slice(-4))
    expect(masked.cardNo.replace(/\D/g, "")).toBe(card.cardNo.slice(-4))
  })

  test.prop([cardArb, statusArb, fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined })])(
    "the full number survives an update only while the payment is pending with no accepted request",
    (card, status, transactionKey) => {
      const next = updatePayment(pending(card), { status, ...(transactionKey === undefined ? {} : { transactionKey }) })
      const keep = status === "PENDING" && transactionKey === undefined
      expect(next.card).toEqual(keep ? card : undefined)
      expect(next.maskedCard).toEqual(maskCard(card))
      expect(JSON.stringify(next).includes(card.cardNo)).toBe(keep)
    },
  )
})

describe("Payment charges", () => {
  const keyArb = fc.constantFrom("TR-1", "TR-2", "TR-3", "TR-4")
  test.prop([
    cardArb,
    statusArb,
    fc.option(keyArb, { nil: undefined }),
    fc.uniqueArray(keyArb, { maxLength: 3 }),
    keyArb,
  ])(
    "a charge is recorded when it paid (SUCCESS) or is owed back (REFUNDED, or listed), never otherwise",
    (card, status, transactionKey, owed, key) => {
      const payment = updatePayment(pending(card), {
        status,
        ...(transactionKey === undefined ? {} : { transactionKey }),
        ...(owed.length === 0 ? {} : { refundsOwed: owed }),
      })
      const byStatus = transactionKey === key && (status === "SUCCESS" || status === "REFUNDED")
      expect(isChargeRecorded(payment, key)).toBe(byStatus || owed.includes(key))
    },
  )

  test.prop([
    cardArb,
    fc.option(fc.integer({ min: 0, max: 1e12 }), { nil: undefined }),
    fc.integer({ min: 0, max: 1e12 }),
  ])("a payment was last touched by its last request, else by its last write", (card, lastAttempt, updated) => {
    const payment = updatePayment(pending(card), {
      updatedAt: new Date(updated),
      ...(lastAttempt === undefined ? {} : { lastAttemptAt: new Date(lastAttempt) }),
    })
    expect(touchedAt(payment).getTime()).toBe(lastAttempt ?? updated)
  })
})
