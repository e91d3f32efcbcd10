import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Either, Fiber, Option, Random, TestClock } from "effect"
import { Money, type OrderId } from "../../src/index.js"
import { Card } from "../../src/payments/Payment.js"
import { PaymentGatewayUnavailable } from "../../src/payments/PaymentErrors.js"
import { GatewayTransaction, type PaymentGateway } from "../../src/payments/PaymentGateway.js"
import { type GatewayPolicy, withResilience } from "../../src/payments/PaymentGatewayResilient.js"

const policy: GatewayPolicy = {
  timeout: Duration.seconds(1),
  maxRetries: 2,
  backoffBase: Duration.millis(100),
  failureThreshold: 3,
  resetTimeout: Duration.seconds(30),
}
const orderId = 5 as OrderId
const card = new Card({ cardType: "SAMSUNG", cardNo: "1234-5678-9012-3456" })
const request = { orderId, amount: Money.make(1000), card, callbackUrl: "http://x/cb" }
const tx = (key: string) =>
  new GatewayTransaction({ transactionKey: key, orderId, amount: Money.make(1000), status: "PENDING" })

/** A scripted gateway: each call takes the next behaviour; it records what it was asked. */
const scripted = (behaviours: Array<"fail" | "hang" | "ok">) => {
  const log: Array<string> = []
  const created: Array<GatewayTransaction> = []
  const next = <A>(name: string, value: () => A): Effect.Effect<A, PaymentGatewayUnavailable> =>
    Effect.suspend(() => {
      log.push(name)
      const b = behaviours.shift() ?? "ok"
      if (b === "fail") return Effect.fail(new PaymentGatewayUnavailable({ reason: "503" }))
      if (b === "hang") return Effect.never
      return Effect.succeed(value())
    })
  const gateway: PaymentGateway["Type"] = {
    requestPayment: () =>
      next("request", () => {
        const t = tx(`k${created.length + 1}`)
        created.push(t)
        return t
      }),
    getTransaction: (key) => next("get", () => Option.fromNullable(created.find((t) => t.transactionKey === key))),
    listTransactions: () => next("list", () => [...created]),
  }
  return { gateway, log, created }
}

describe("withResilience", () => {
  it.effect("retries a failing call with backoff and succeeds", () =>
    Effect.gen(function* () {
      const s = scripted(["fail", "fail", "ok"])
      const g = yield* withResilience(s.gateway, policy)
      const fiber = yield* Effect.fork(g.getTransaction("k1"))
      yield* TestClock.adjust("10 seconds")
      expect(Option.isNone(yield* Fiber.join(fiber))).toBe(true)
      expect(s.log).toEqual(["get", "get", "get"])
    }),
  )

  it.effect("gives up after maxRetries with PaymentGatewayUnavailable", () =>
    Effect.gen(function* () {
      const s = scripted(["fail", "fail", "fail", "ok"])
      const g = yield* withResilience(s.gateway, { ...policy, failureThreshold: 10 })
      const fiber = yield* Effect.fork(Effect.either(g.listTransactions(orderId)))
      yield* TestClock.adjust("10 seconds")
      const result = yield* Fiber.join(fiber)
      expect(Either.isLeft(result) && result.left.code).toBe("PAYMENT_GATEWAY_UNAVAILABLE")
      expect(s.log).toHaveLength(3)
    }),
  )

  it.effect("times out a hanging attempt and retries it", () =>
    Effect.gen(function* () {
      const s = scripted(["hang", "ok"])
      const g = yield* withResilience(s.gateway, policy)
      const fiber = yield* Effect.fork(g.listTransactions(orderId))
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toEqual([])
      expect(s.log).toEqual(["list", "list"])
    }),
  )

  it.effect("a retried request adopts the transaction an earlier timed-out attempt created", () =>
    Effect.gen(function* () {
      const s = scripted([])
      let first = true
      const slowFirst: PaymentGateway["Type"] = {
        ...s.gateway,
        // The first request registers at the gateway but its answer never arrives.
        requestPayment: (r) => {
          if (!first) return s.gateway.requestPayment(r)
          first = false
          return Effect.zipRight(s.gateway.requestPayment(r), Effect.never)
        },
      }
      const g = yield* withResilience(slowFirst, policy)
      const fiber = yield* Effect.fork(g.requestPayment(request))
      yield* TestClock.adjust("10 seconds")
      expect((yield* Fiber.join(fiber)).transactionKey).toBe("k1")
      expect(s.created).toHaveLength(1)
      expect(s.log).toEqual(["request", "list"])
    }),
  )

  it.effect("opens the circuit after consecutive failed attempts and fails fast", () =>
    Effect.gen(function* () {
      const s = scripted(Array.from({ length: 20 }, () => "fail" as const))
      const g = yield* withResilience(s.gateway, policy)
      const fiber = yield* Effect.fork(Effect.either(g.getTransaction("k")))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      expect(s.log).toHaveLength(3)
      const fast = yield* Effect.either(g.getTransaction("k"))
      expect(Either.isLeft(fast) && fast.left).toMatchObject({ _tag: "PaymentGatewayUnavailable" })
      expect(Either.isLeft(fast) && fast.left.reason).toContain("open")
      expect(s.log).toHaveLength(3)
      yield* TestClock.adjust("30 seconds")
      s.log.length = 0
      const trial = yield* Effect.fork(Effect.either(g.getTransaction("k")))
      yield* TestClock.adjust("10 seconds")
      expect(Either.isLeft(yield* Fiber.join(trial))).toBe(true)
      expect(s.log).toEqual(["get"])
    }),
  )

  it.effect("waits a doubling delay between attempts, each jittered to 80-120% of it", () =>
    Effect.gen(function* () {
      const base = 100
      const firstDelays = new Set<number>()
      for (let seed = 1; seed <= 20; seed++) {
        const attemptsAt: Array<number> = []
        const failing: PaymentGateway["Type"] = {
          requestPayment: () => Effect.never,
          getTransaction: () =>
            Effect.flatMap(Clock.currentTimeMillis, (now) => {
              attemptsAt.push(now)
              return Effect.fail(new PaymentGatewayUnavailable({ reason: "503" }))
            }),
          listTransactions: () => Effect.succeed([]),
        }
        const g = yield* withResilience(failing, { ...policy, maxRetries: 4, failureThreshold: 100 })
        const fiber = yield* Effect.fork(
          Effect.either(g.getTransaction("k")).pipe(Effect.withRandom(Random.make(seed))),
        )
        yield* TestClock.adjust("10 seconds")
        expect(Either.isLeft(yield* Fiber.join(fiber))).toBe(true)
        expect(attemptsAt).toHaveLength(5)
        const delays = attemptsAt.slice(1).map((at, i) => at - (attemptsAt[i] ?? 0))
        delays.forEach((delay, i) => {
          const nominal = base * 2 ** i
          expect(delay).toBeGreaterThanOrEqual(Math.floor(0.8 * nominal))
          expect(delay).toBeLessThanOrEqual(Math.ceil(1.2 * nominal))
        })
        firstDelays.add(delays[0] ?? 0)
      }
      // jitter: retries of different callers do not line up on the same instants
      expect(firstDelays.size).toBeGreaterThan(5)
    }),
  )
})
