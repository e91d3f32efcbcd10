import { Card, Money, type OrderId, PaymentGateway } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"

const card = new Card({ cardType: "SAMSUNG", cardNo: "1234-5678-9012-3456" })

/**
 * What every PaymentGateway adapter must show towards the domain, against a gateway that
 * accepts requests (no injected faults). `orderIdBase` keeps order ids of concurrent or
 * repeated runs apart on a shared gateway.
 */
export const paymentGatewayContract = (makeLayer: () => Layer.Layer<PaymentGateway, unknown>, orderIdBase = 1) => {
  const order = (n: number) => (orderIdBase + n) as OrderId
  const request = (n: number, amount = 5_000) => ({
    orderId: order(n),
    amount: Money.make(amount),
    card,
    callbackUrl: "http://localhost:8080/api/v1/payments/callback",
  })

  describe("PaymentGateway contract", () => {
    it.effect("a request registers a transaction for the order and amount, under a fresh key", () =>
      Effect.gen(function* () {
        const gateway = yield* PaymentGateway
        const first = yield* gateway.requestPayment(request(1, 5_000))
        const second = yield* gateway.requestPayment(request(2, 7_000))
        expect(first).toMatchObject({ orderId: order(1), amount: 5_000 })
        expect(["PENDING", "SUCCESS", "FAILED"]).toContain(first.status)
        expect(first.transactionKey).not.toBe(second.transactionKey)
        const found = Option.getOrThrow(yield* gateway.getTransaction(first.transactionKey))
        expect(found).toMatchObject({ transactionKey: first.transactionKey, orderId: order(1), amount: 5_000 })
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("lists exactly the order's transactions, oldest first", () =>
      Effect.gen(function* () {
        const gateway = yield* PaymentGateway
        const a = yield* gateway.requestPayment(request(3))
        yield* gateway.requestPayment(request(4))
        const b = yield* gateway.requestPayment(request(3))
        const listed = yield* gateway.listTransactions(order(3))
        expect(listed.map((t) => t.transactionKey)).toEqual([a.transactionKey, b.transactionKey])
        expect(yield* gateway.listTransactions(order(5))).toEqual([])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("an unknown transaction key is None", () =>
      Effect.gen(function* () {
        const gateway = yield* PaymentGateway
        expect(Option.isNone(yield* gateway.getTransaction("no-such-key"))).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )
  })
}
