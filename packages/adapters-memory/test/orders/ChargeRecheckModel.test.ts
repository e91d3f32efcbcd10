import {
  ChargeRecheck,
  ChargeRecheckLive,
  type DomainEvent,
  type OrderId,
  type OrderRecord,
  OrderRepository,
  OrderService,
  PaymentGateway,
  type UserId,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Logger, LogLevel, Option } from "effect"
import fc from "fast-check"
import { PaymentGatewaySimulator } from "../../src/payments/PaymentGatewaySimulated.js"
import { card, orderWorld, outboxEvents, seedProduct, seedUser } from "./OrderWorld.js"

const USERS = 3

type Command =
  | { readonly _tag: "place"; readonly user: number }
  /** Another request for the order lands at the gateway (a slow or resent one): a duplicate or late charge. */
  | { readonly _tag: "charge"; readonly order: number }
  | { readonly _tag: "sweep"; readonly batchSize: number }
  /** The gateway delivers every callback of the order again, lost ones included. */
  | { readonly _tag: "redeliver"; readonly order: number }
  | { readonly _tag: "reconcile" }
  | { readonly _tag: "cancel"; readonly order: number }
  /** The gateway is down for a while: a sweep outlasting the policy's retries skips, a later one records. */
  | { readonly _tag: "outage"; readonly millis: number }

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ _tag: fc.constant("place" as const), user: fc.nat(USERS - 1) }) },
  { weight: 5, arbitrary: fc.record({ _tag: fc.constant("charge" as const), order: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ _tag: fc.constant("sweep" as const), batchSize: fc.integer({ min: 1, max: 4 }) }),
  },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("redeliver" as const), order: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "reconcile" as const }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("cancel" as const), order: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ _tag: fc.constant("outage" as const), millis: fc.integer({ min: 10, max: 60 }) }),
  },
)

const scenarioArb = fc.record({
  seed: fc.integer(),
  lostCallbackRatio: fc.constantFrom(0.3, 0.6, 0.9),
  /** Each command starts after its delay (ms), so commands overlap in every order. */
  commands: fc.array(fc.tuple(commandArb, fc.integer({ min: 0, max: 30 })), { minLength: 10, maxLength: 40 }),
})

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never

interface Stats {
  recordedBySweeps: number
  skippedBySweeps: number
  lostCallbacks: number
  extraCharges: number
}

const WINDOW = { lookBack: "1 hour" } as const

const run = (scenario: Scenario, stats: Stats) =>
  Effect.gen(function* () {
    const orders = yield* OrderService
    const repo = yield* OrderRepository
    const gateway = yield* PaymentGateway
    const simulator = yield* PaymentGatewaySimulator
    const recheck = yield* ChargeRecheck

    const product = yield* seedProduct({ price: 1_000, stock: 1_000 })
    const users: Array<UserId> = []
    for (let i = 0; i < USERS; i++) users.push(yield* seedUser(i + 1, 0))
    const placed: Array<OrderRecord> = []
    const pick = (n: number) => (placed.length === 0 ? undefined : placed[n % placed.length])
    let outages = 0

    const execute = (command: Command): Effect.Effect<unknown, unknown> => {
      switch (command._tag) {
        case "place":
          return Effect.tap(
            orders.place({
              userId: users[command.user] as UserId,
              items: [{ productId: product.id, quantity: 1 }],
              paymentType: "CARD",
              card,
            }),
            (record) => Effect.sync(() => placed.push(record)),
          )
        case "charge": {
          const target = pick(command.order)
          if (target === undefined) return Effect.void
          return gateway.requestPayment({
            orderId: target.order.id,
            amount: target.payment.amount,
            card: card as never,
            callbackUrl: "http://cb",
          })
        }
        case "sweep":
          // A sweep never fails on the gateway's account: no Effect.either here.
          return Effect.tap(recheck.recheckSettled({ ...WINDOW, batchSize: command.batchSize }), (s) =>
            Effect.sync(() => {
              stats.recordedBySweeps += s.recorded
              stats.skippedBySweeps += s.skipped
            }),
          )
        case "redeliver": {
          const target = pick(command.order)
          if (target === undefined) return Effect.void
          return Effect.flatMap(simulator.transactions, (all) =>
            Effect.forEach(
              all.filter((t) => t.orderId === target.order.id),
              (t) =>
                Effect.either(
                  orders.handleCallback({ transactionKey: t.transactionKey, orderId: t.orderId, status: t.status }),
                ),
            ),
          )
        }
        case "reconcile":
          return orders.reconcilePending({ olderThan: "0 millis" })
        case "cancel": {
          const target = pick(command.order)
          return target === undefined ? Effect.void : orders.cancel(target.order.userId, target.order.id)
        }
        case "outage":
          return Effect.acquireUseRelease(
            Effect.zipRight(
              Effect.sync(() => outages++),
              simulator.setDown(true),
            ),
            () => Effect.sleep(command.millis),
            () => Effect.suspend(() => (--outages === 0 ? simulator.setDown(false) : Effect.void)),
          )
      }
    }

    yield* Effect.all(
      scenario.commands.map(([command, delay]) =>
        Effect.delay(
          Effect.suspend(() => (command._tag === "sweep" ? execute(command) : Effect.either(execute(command)))),
          delay,
        ),
      ),
      { concurrency: "unbounded", discard: true },
    )

    // Every transaction settles, then reconciliation settles every payment still pending.
    yield* Effect.sleep("20 millis")
    for (let round = 0; round < 80; round++) {
      yield* orders.reconcilePending({ olderThan: "0 millis" })
      if ((yield* repo.pendingCardPayments(new Date(8.64e15), 1_000)).length === 0) break
      yield* Effect.sleep("15 millis")
    }
    yield* Effect.sleep("20 millis")
    // A sweep while the gateway is down skips every payment it would ask about, records nothing, and does not fail.
    yield* simulator.setDown(true)
    const before = yield* Effect.forEach(placed, (p) => Effect.map(repo.findById(p.order.id), Option.getOrThrow))
    const down = yield* recheck.recheckSettled({ ...WINDOW, batchSize: 2 })
    yield* simulator.setDown(false)
    expect(down).toEqual({
      examined: placed.length,
      recorded: 0,
      skipped: before.filter((r) => r.payment.attempts > 0).length,
    })
    stats.skippedBySweeps += down.skipped
    // No callback is redelivered from here on: what they lost, only the sweep can record.
    for (let round = 0; round < 10; round++) {
      const summary = yield* recheck.recheckSettled({ ...WINDOW, batchSize: 3 })
      stats.recordedBySweeps += summary.recorded
      if (summary.skipped === 0) break
    }

    const load = Effect.forEach(placed, (p) => Effect.map(repo.findById(p.order.id), Option.getOrThrow))
    const records = yield* load
    const transactions = yield* simulator.transactions
    const charges = new Map<OrderId, Array<string>>()
    for (const t of transactions) {
      if (t.status === "SUCCESS") charges.set(t.orderId, [...(charges.get(t.orderId) ?? []), t.transactionKey])
    }
    for (const record of records) {
      expect(record.payment.status).not.toBe("PENDING")
      const owed = record.payment.refundsOwed ?? []
      const byStatus =
        (record.payment.status === "SUCCESS" || record.payment.status === "REFUNDED") &&
        record.payment.transactionKey !== undefined
          ? [record.payment.transactionKey]
          : []
      // Every successful transaction is recorded exactly once: as the paying (or refunded) one, or owed back.
      expect([...byStatus, ...owed].sort()).toEqual([...(charges.get(record.order.id) ?? [])].sort())
      if (record.order.status === "PAID") expect(record.payment.status).toBe("SUCCESS")
      stats.extraCharges += Math.max(0, (charges.get(record.order.id)?.length ?? 0) - 1)
    }
    const events: ReadonlyArray<DomainEvent> = yield* outboxEvents
    for (const record of records) {
      const paid = events.filter((e) => e._tag === "OrderPaid" && e.orderId === record.order.id).length
      expect(paid).toBe(record.order.history.some((h) => h.status === "PAID") ? 1 : 0)
    }

    // Sweeping again, and then every callback delivered once more, records nothing new.
    const again = yield* recheck.recheckSettled({ ...WINDOW, batchSize: 2 })
    expect(again.recorded).toBe(0)
    expect(yield* load).toEqual(records)
    for (const t of transactions) {
      yield* Effect.either(
        orders.handleCallback({ transactionKey: t.transactionKey, orderId: t.orderId, status: t.status }),
      )
    }
    expect(yield* load).toEqual(records)
    stats.lostCallbacks += (yield* simulator.stats).lost
  })

describe("charge recheck model", () => {
  it.live(
    "random interleavings of duplicate charges, lost callbacks, sweeps, outages and redeliveries record each successful transaction exactly once",
    () =>
      Effect.gen(function* () {
        const stats: Stats = { recordedBySweeps: 0, skippedBySweeps: 0, lostCallbacks: 0, extraCharges: 0 }
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(scenarioArb, (scenario) =>
              Effect.runPromise(
                run(scenario, stats).pipe(
                  // The sweep while the gateway is down warns on every run.
                  Logger.withMinimumLogLevel(LogLevel.Error),
                  Effect.provide(
                    ChargeRecheckLive.pipe(
                      Layer.provideMerge(
                        orderWorld(
                          {
                            seed: scenario.seed,
                            latency: "3 millis",
                            requestFailureRatio: 0.1,
                            declineRatio: 0.25,
                            lostCallbackRatio: scenario.lostCallbackRatio,
                            duplicateCallbackRatio: 0.2,
                          },
                          undefined,
                          { registrationWindow: "100 millis" },
                        ),
                      ),
                    ),
                  ),
                ),
              ),
            ),
            { numRuns: 40 },
          ),
        )
        // The runs had extra charges and lost callbacks, and sweeps recorded charges (not vacuous).
        expect(stats.extraCharges, "extra charges").toBeGreaterThan(0)
        expect(stats.lostCallbacks, "lost callbacks").toBeGreaterThan(0)
        expect(stats.recordedBySweeps, "charges recorded by sweeps").toBeGreaterThan(0)
        expect(stats.skippedBySweeps, "payments skipped while the gateway was down").toBeGreaterThan(0)
      }),
    180_000,
  )
})
