import {
  type LedgerEntry,
  Money,
  type OrderId,
  PageRequest,
  PointService,
  PointWalletRepository,
  signedAmount,
  type UserId,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { fc } from "@fast-check/vitest"
import { Effect, Either, Option } from "effect"
import { type Expected, limits, type Op, opArbitrary, WalletModel } from "./PointModel.js"
import { makeServices, outboxEvents } from "./ServiceLayers.js"

const run = (op: Op) =>
  Effect.gen(function* () {
    const points = yield* PointService
    const userId = op.user as UserId
    switch (op.kind) {
      case "charge":
        return (yield* points.charge({ userId, amount: op.amount, idempotencyKey: op.key })).balanceAfter
      case "use":
        return (yield* points.use({ userId, amount: Money.make(op.amount), orderId: op.order as OrderId })).balanceAfter
      case "refund":
        return (yield* points.refund({ userId, amount: Money.make(op.amount), orderId: op.order as OrderId })).balance
    }
  })

const observe = (op: Op): Effect.Effect<Expected, never, PointService> =>
  Effect.map(Effect.either(run(op)), Either.match({ onLeft: (e) => ({ error: e._tag }), onRight: (ok) => ({ ok }) }))

const openWallets = (users: number) =>
  Effect.gen(function* () {
    const wallets = yield* PointWalletRepository
    for (let user = 1; user <= users; user++) yield* wallets.create(user as UserId, new Date(0))
  })

/** Balance = ledger sum >= 0 at every entry, no charge beyond maxBalance, one event per entry. */
const checkInvariants = (users: number) =>
  Effect.gen(function* () {
    const points = yield* PointService
    const events = yield* outboxEvents
    for (let user = 1; user <= users; user++) {
      const userId = user as UserId
      const newestFirst = (yield* points.history(userId, PageRequest.make({ size: 100 }))).items
      expect(newestFirst.length).toBeLessThan(100)
      const entries: Array<LedgerEntry> = [...newestFirst].reverse()
      let running = 0
      for (const entry of entries) {
        running += signedAmount(entry)
        expect(entry.balanceAfter).toBe(running)
        expect(running).toBeGreaterThanOrEqual(0)
        if (entry.type === "CHARGE") expect(running).toBeLessThanOrEqual(limits.maxBalance)
      }
      expect(yield* points.balance(userId)).toBe(running)
      const own = events.filter((e) => "userId" in e && e.userId === userId)
      expect(own.map((e) => [e._tag, "amount" in e ? e.amount : -1])).toEqual(
        entries.map((e) => [
          { CHARGE: "PointsCharged", USE: "PointsUsed", REFUND: "PointsRefunded" }[e.type],
          e.amount,
        ]),
      )
      // At most one refund per order, never more than the order used.
      const orders = new Set(entries.flatMap((e) => Option.toArray(e.orderId)))
      for (const orderId of orders) {
        const ofOrder = entries.filter((e) => Option.contains(e.orderId, orderId))
        const refunds = ofOrder.filter((e) => e.type === "REFUND")
        expect(refunds.length).toBeLessThanOrEqual(1)
        const used = ofOrder.filter((e) => e.type === "USE").reduce((s, e) => s + e.amount, 0)
        expect(refunds.reduce((s, e) => s + e.amount, 0)).toBeLessThanOrEqual(used)
      }
    }
  })

describe("PointService properties", () => {
  it("sequentially, every answer matches the reference model and the ledger stays consistent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary(2), { minLength: 5, maxLength: 50, size: "max" }), async (ops) => {
        const models = [new WalletModel(), new WalletModel()]
        const program = Effect.gen(function* () {
          yield* openWallets(2)
          for (const op of ops) {
            const expected = models[op.user - 1]!.apply(op)
            expect(yield* observe(op)).toEqual(expected)
          }
          yield* checkInvariants(2)
          for (const [i, model] of models.entries()) {
            expect(yield* (yield* PointService).balance((i + 1) as UserId)).toBe(model.balance)
          }
        })
        await Effect.runPromise(program.pipe(Effect.provide(makeServices({ limits }))))
      }),
      { numRuns: 60 },
    )
  }, 60_000)

  it("concurrently (hundreds of fibers), the ledger stays consistent, bounded and idempotent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArbitrary(3), { minLength: 200, maxLength: 400 }), async (ops) => {
        const program = Effect.gen(function* () {
          yield* openWallets(3)
          const results = yield* Effect.all(
            ops.map((op) => Effect.map(observe(op), (result) => ({ op, result }))),
            { concurrency: "unbounded" },
          )
          for (const { result } of results) {
            if ("error" in result) {
              expect([
                "InvalidChargeAmount",
                "ChargeKeyReused",
                "PointBalanceLimitExceeded",
                "InsufficientPoints",
                "RefundExceedsUsage",
              ]).toContain(result.error)
            }
          }
          // Every success with one (user, key) answered the one charge that key made.
          const byKey = new Map<string, Set<number>>()
          for (const { op, result } of results) {
            if (op.kind !== "charge" || op.key === undefined || !("ok" in result)) continue
            const key = `${op.user}/${op.key}`
            byKey.set(key, (byKey.get(key) ?? new Set()).add(result.ok))
          }
          for (const answers of byKey.values()) expect(answers.size).toBe(1)
          yield* checkInvariants(3)
        })
        await Effect.runPromise(program.pipe(Effect.provide(makeServices({ limits }))))
      }),
      { numRuns: 12 },
    )
  }, 60_000)

  it("a failed use changes nothing: not the balance, the ledger nor the outbox", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        async (balance, excess) => {
          const program = Effect.gen(function* () {
            yield* openWallets(1)
            const points = yield* PointService
            let left = balance
            while (left > 0) {
              const amount = Math.max(limits.minCharge, Math.min(left, limits.maxCharge))
              yield* points.charge({ userId: 1 as UserId, amount })
              left -= amount
            }
            const held = yield* points.balance(1 as UserId)
            const history = yield* points.history(1 as UserId, PageRequest.make({ size: 100 }))
            const events = yield* outboxEvents
            const error = yield* Effect.flip(
              points.use({ userId: 1 as UserId, amount: Money.make(held + excess), orderId: 1 as OrderId }),
            )
            expect(error._tag).toBe("InsufficientPoints")
            expect(yield* points.balance(1 as UserId)).toBe(held)
            expect(yield* points.history(1 as UserId, PageRequest.make({ size: 100 }))).toEqual(history)
            expect(yield* outboxEvents).toEqual(events)
          })
          await Effect.runPromise(program.pipe(Effect.provide(makeServices({ limits }))))
        },
      ),
      { numRuns: 60 },
    )
  }, 60_000)
})
