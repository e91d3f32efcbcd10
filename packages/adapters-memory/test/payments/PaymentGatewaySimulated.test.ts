import { Card, type GatewayCallback, Money, type OrderId, PaymentGateway } from "@commerce-core/domain"
import { paymentGatewayContract } from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Either, Layer, Option, TestClock } from "effect"
import {
  type GatewaySimulation,
  PaymentGatewaySimulated,
  PaymentGatewaySimulator,
} from "../../src/payments/PaymentGatewaySimulated.js"

const base: GatewaySimulation = {
  seed: 7,
  latency: "100 millis",
  requestFailureRatio: 0,
  declineRatio: 0,
  lostCallbackRatio: 0,
}
const card = new Card({ cardType: "KB", cardNo: "1111-2222-3333-4444" })
const request = (n: number) => ({
  orderId: n as OrderId,
  amount: Money.make(1_000 * n),
  card,
  callbackUrl: "http://cb",
})

paymentGatewayContract(() => PaymentGatewaySimulated(base))

/** Runs `count` requests with callbacks collected, lets them settle, and returns what happened. */
const simulate = (simulation: Partial<GatewaySimulation>, count: number) =>
  Effect.gen(function* () {
    const gateway = yield* PaymentGateway
    const simulator = yield* PaymentGatewaySimulator
    const callbacks: Array<GatewayCallback> = []
    yield* simulator.connect((cb) => Effect.sync(() => callbacks.push(cb)))
    const requests = yield* Effect.forEach(
      Array.from({ length: count }, (_, i) => i + 1),
      (n) => Effect.either(gateway.requestPayment(request(n))),
    )
    yield* TestClock.adjust("1 second")
    return {
      requests: requests.map((r) => (Either.isRight(r) ? "ok" : "unavailable")),
      transactions: (yield* simulator.transactions).map((t) => `${t.orderId}:${t.status}`),
      callbacks: callbacks.map((c) => `${c.orderId}:${c.status}`),
      stats: yield* simulator.stats,
    }
  }).pipe(Effect.provide(PaymentGatewaySimulated({ ...base, ...simulation })))

describe("PaymentGatewaySimulated", () => {
  it.effect("a transaction stays PENDING for the latency, then settles and calls back once", () =>
    Effect.gen(function* () {
      const gateway = yield* PaymentGateway
      const simulator = yield* PaymentGatewaySimulator
      const callbacks: Array<GatewayCallback> = []
      yield* simulator.connect((cb) => Effect.sync(() => callbacks.push(cb)))
      const tx = yield* gateway.requestPayment(request(1))
      expect(tx.status).toBe("PENDING")
      yield* TestClock.adjust("99 millis")
      expect(callbacks).toEqual([])
      expect((yield* gateway.getTransaction(tx.transactionKey)).pipe((o) => o._tag === "Some" && o.value.status)).toBe(
        "PENDING",
      )
      yield* TestClock.adjust("1 millis")
      expect(callbacks.map((c) => [c.transactionKey, c.status])).toEqual([[tx.transactionKey, "SUCCESS"]])
    }).pipe(Effect.provide(PaymentGatewaySimulated(base))),
  )

  it.effect(
    "the same seed replays the same outcomes; ratios shape them",
    () =>
      Effect.gen(function* () {
        const faulty = { requestFailureRatio: 0.2, declineRatio: 0.3, lostCallbackRatio: 0.25 }
        const a = yield* simulate(faulty, 200)
        const b = yield* simulate(faulty, 200)
        expect(a).toEqual(b)
        const c = yield* simulate({ ...faulty, seed: 8 }, 200)
        expect(c).not.toEqual(a)
        const unavailable = a.requests.filter((r) => r === "unavailable").length
        const declined = a.transactions.filter((t) => t.endsWith("FAILED")).length
        expect(unavailable).toBeGreaterThan(20)
        expect(unavailable).toBeLessThan(65)
        expect(a.transactions).toHaveLength(200 - unavailable)
        expect(declined / a.transactions.length).toBeGreaterThan(0.18)
        expect(declined / a.transactions.length).toBeLessThan(0.42)
        expect(a.stats.lost + a.stats.delivered).toBe(a.transactions.length)
        expect(a.stats.lost).toBeGreaterThan(0)
        expect(a.callbacks).toHaveLength(a.stats.delivered)
        // A callback always tells the transaction's settled status.
        for (const cb of a.callbacks) expect(a.transactions).toContain(cb)
      }),
    20_000,
  )

  it.effect("duplicated callbacks arrive twice; without a receiver every callback is lost", () =>
    Effect.gen(function* () {
      const doubled = yield* simulate({ duplicateCallbackRatio: 1 }, 5)
      expect(doubled.callbacks).toHaveLength(10)
      const stats = yield* Effect.gen(function* () {
        const gateway = yield* PaymentGateway
        yield* gateway.requestPayment(request(1))
        yield* TestClock.adjust("1 second")
        return yield* (yield* PaymentGatewaySimulator).stats
      }).pipe(Effect.provide(PaymentGatewaySimulated(base)))
      expect(stats).toEqual({ delivered: 0, lost: 1, requests: 1, responsesLost: 0 })
    }),
  )

  it.effect("while down every call fails and nothing is registered", () =>
    Effect.gen(function* () {
      const gateway = yield* PaymentGateway
      const simulator = yield* PaymentGatewaySimulator
      yield* simulator.setDown(true)
      const failed = yield* Effect.flip(gateway.requestPayment(request(1)))
      expect(failed.code).toBe("PAYMENT_GATEWAY_UNAVAILABLE")
      expect(yield* simulator.transactions).toEqual([])
      yield* simulator.setDown(false)
      expect((yield* gateway.requestPayment(request(1))).status).toBe("PENDING")
    }).pipe(Effect.provide(PaymentGatewaySimulated(base))),
  )

  it.effect("a lost response: the call fails, yet the request is registered and charged", () =>
    Effect.gen(function* () {
      const gateway = yield* PaymentGateway
      const simulator = yield* PaymentGatewaySimulator
      const failed = yield* Effect.flip(gateway.requestPayment(request(3)))
      expect(failed.code).toBe("PAYMENT_GATEWAY_UNAVAILABLE")
      const listed = yield* gateway.listTransactions(3 as OrderId)
      expect(listed.map((t) => [t.orderId, t.amount, t.status])).toEqual([[3, 3_000, "PENDING"]])
      yield* TestClock.adjust("100 millis")
      expect((yield* simulator.transactions).map((t) => t.status)).toEqual(["SUCCESS"])
      expect(yield* simulator.stats).toEqual({ delivered: 0, lost: 1, requests: 1, responsesLost: 1 })
    }).pipe(Effect.provide(PaymentGatewaySimulated({ ...base, responseLostRatio: 1 }))),
  )

  it.effect("a late registration: invisible until its delay passed, then settles and calls back", () =>
    Effect.gen(function* () {
      const gateway = yield* PaymentGateway
      const simulator = yield* PaymentGatewaySimulator
      const callbacks: Array<GatewayCallback> = []
      yield* simulator.connect((cb) => Effect.sync(() => callbacks.push(cb)))
      for (let n = 1; n <= 20; n++) yield* Effect.either(gateway.requestPayment(request(n)))
      const listedNow = (yield* simulator.transactions).length
      // Every late one registers within 10 s; each settles 100 ms after registering.
      yield* TestClock.adjust("10100 millis")
      const all = yield* simulator.transactions
      expect(all).toHaveLength(20)
      expect(listedNow).toBeLessThan(20)
      expect(callbacks).toHaveLength(20)
      const stats = yield* simulator.stats
      expect(stats.requests).toBe(20)
      expect(stats.responsesLost).toBeGreaterThan(3)
      expect(stats.responsesLost).toBeLessThan(17)
      expect(listedNow).toBeGreaterThanOrEqual(20 - stats.responsesLost)
    }).pipe(
      Effect.provide(PaymentGatewaySimulated({ ...base, responseLostRatio: 0.5, registrationDelay: "10 seconds" })),
    ),
  )

  it.effect("lost responses and late registrations replay exactly under the same seed", () =>
    Effect.gen(function* () {
      const faulty = { responseLostRatio: 0.3, registrationDelay: "500 millis" as const, declineRatio: 0.2 }
      const timeline = (seed: number) =>
        Effect.gen(function* () {
          const gateway = yield* PaymentGateway
          const simulator = yield* PaymentGatewaySimulator
          const answers = yield* Effect.forEach(
            Array.from({ length: 50 }, (_, i) => i + 1),
            (n) => Effect.map(Effect.either(gateway.requestPayment(request(n))), Either.isRight),
          )
          const seenAt: Array<number> = []
          for (let step = 0; step < 7; step++) {
            seenAt.push((yield* simulator.transactions).length)
            yield* TestClock.adjust("100 millis")
          }
          return { answers, seenAt, final: (yield* simulator.transactions).map((t) => `${t.orderId}:${t.status}`) }
        }).pipe(Effect.provide(PaymentGatewaySimulated({ ...base, ...faulty, seed })))
      const a = yield* timeline(7)
      expect(yield* timeline(7)).toEqual(a)
      expect(yield* timeline(8)).not.toEqual(a)
      // Registrations trickle in over the delay, not all at once.
      expect(new Set(a.seenAt).size).toBeGreaterThan(2)
      expect(a.final).toHaveLength(50)
    }),
  )

  it.effect("keys are unique across instances (a restarted process never reuses the previous one's keys)", () =>
    Effect.gen(function* () {
      const run = (simulation: Partial<GatewaySimulation>) =>
        Effect.gen(function* () {
          const gateway = yield* PaymentGateway
          return yield* Effect.forEach([1, 2, 3], (n) =>
            Effect.map(gateway.requestPayment(request(n)), (t) => t.transactionKey),
          )
        }).pipe(Effect.provide(PaymentGatewaySimulated({ ...base, ...simulation })))
      const before = yield* run({})
      const after = yield* run({})
      expect(new Set([...before, ...after]).size).toBe(6)
      for (const key of [...before, ...after]) expect(key).toMatch(/^TR-[0-9a-f]{12}-\d{8}$/)
      // Under a fixed instance id the keys replay exactly, and differ from another id's.
      expect(yield* run({ instanceId: "replay1" })).toEqual([
        "TR-replay1-00000001",
        "TR-replay1-00000002",
        "TR-replay1-00000003",
      ])
      expect(yield* run({ instanceId: "replay1" })).toEqual(yield* run({ instanceId: "replay1" }))
      expect(yield* run({ instanceId: "replay2" })).not.toEqual(yield* run({ instanceId: "replay1" }))
    }),
  )

  it.effect("a fresh instance knows none of the previous instance's transactions (it forgets at restart)", () =>
    Effect.gen(function* () {
      const first = yield* Effect.flatMap(PaymentGateway, (g) => g.requestPayment(request(1))).pipe(
        Effect.provide(PaymentGatewaySimulated(base)),
      )
      const asked = yield* Effect.gen(function* () {
        const gateway = yield* PaymentGateway
        const own = yield* gateway.requestPayment(request(1))
        return {
          previous: yield* gateway.getTransaction(first.transactionKey),
          own: yield* gateway.getTransaction(own.transactionKey),
          listed: (yield* gateway.listTransactions(request(1).orderId)).map((t) => t.transactionKey),
          ownKey: own.transactionKey,
        }
      }).pipe(Effect.provide(PaymentGatewaySimulated(base)))
      expect(Option.isNone(asked.previous)).toBe(true)
      expect(Option.isSome(asked.own)).toBe(true)
      expect(asked.ownKey).not.toBe(first.transactionKey)
      expect(asked.listed).toEqual([asked.ownKey])
    }),
  )

  it("rejects an instance id that is not 1 to 32 letters or digits", async () => {
    for (const instanceId of ["", "has-dash", "x".repeat(33)]) {
      const exit = await Effect.runPromiseExit(
        Effect.scoped(Layer.build(PaymentGatewaySimulated({ ...base, instanceId }))),
      )
      expect(exit._tag).toBe("Failure")
      expect(exit._tag === "Failure" && Cause.pretty(exit.cause)).toContain("instanceId")
    }
  })

  it("rejects ratios outside 0..1", async () => {
    const layer = PaymentGatewaySimulated({ ...base, declineRatio: 1.5 })
    const exit = await Effect.runPromiseExit(Effect.scoped(Layer.build(layer)))
    expect(exit._tag).toBe("Failure")
  })
})
