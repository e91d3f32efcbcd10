import {
  ChargeKeyReused,
  InsufficientPoints,
  InvalidChargeAmount,
  InvalidInput,
  Money,
  type OrderId,
  PageRequest,
  PointBalanceLimitExceeded,
  PointService,
  PointWalletRepository,
  RefundExceedsUsage,
  Transactor,
  type UserId,
  WalletNotFound,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { makeServices, outboxEvents } from "./ServiceLayers.js"

const alice = 1 as UserId
const order = (n: number) => n as OrderId
const won = Money.make

/** PointService over a fresh store with a wallet for alice holding `initial` points. */
const withWallet = (initial: number) =>
  Effect.gen(function* () {
    yield* (yield* PointWalletRepository).create(alice, new Date(0))
    const points = yield* PointService
    if (initial > 0) yield* points.charge({ userId: alice, amount: initial })
    return points
  })

const snapshot = Effect.gen(function* () {
  const points = yield* PointService
  return {
    balance: yield* points.balance(alice),
    history: (yield* points.history(alice, PageRequest.make({ size: 100 }))).items,
    events: yield* outboxEvents,
  }
})

describe("PointService.balance and history", () => {
  it.effect("a new wallet holds 0; an unknown one is WALLET_NOT_FOUND", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(0)
      expect(yield* points.balance(alice)).toBe(0)
      const missing = yield* Effect.flip(points.balance(2 as UserId))
      expect(missing).toEqual(new WalletNotFound({ userId: 2 as UserId }))
      expect(missing).toMatchObject({ code: "WALLET_NOT_FOUND", kind: "not-found" })
      expect(yield* Effect.flip(points.history(2 as UserId, PageRequest.make({})))).toBeInstanceOf(WalletNotFound)
    }).pipe(Effect.provide(makeServices())),
  )
})

describe("PointService.charge", () => {
  it.effect("adds to the balance, records the entry and raises PointsCharged", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(0)
      const entry = yield* points.charge({ userId: alice, amount: 5_000 })
      expect(entry).toMatchObject({ type: "CHARGE", amount: 5_000, balanceAfter: 5_000, orderId: Option.none() })
      expect(yield* points.balance(alice)).toBe(5_000)
      const events = yield* outboxEvents
      expect(events).toEqual([
        expect.objectContaining({
          _tag: "PointsCharged",
          userId: alice,
          amount: 5_000,
          balanceAfter: 5_000,
          aggregateKey: "user:1",
        }),
      ])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("accepts exactly the integers from 1,000 to 10,000,000", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(0)
      yield* points.charge({ userId: alice, amount: 1_000 })
      yield* points.charge({ userId: alice, amount: 10_000_000 })
      const before = yield* snapshot
      for (const amount of [999, 10_000_001, 0, -1_000, 1_500.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
        const error = yield* Effect.flip(points.charge({ userId: alice, amount }))
        expect(error).toBeInstanceOf(InvalidChargeAmount)
        expect(error).toMatchObject({ code: "INVALID_CHARGE_AMOUNT", kind: "invalid", min: 1_000, max: 10_000_000 })
      }
      expect(yield* snapshot).toEqual(before)
      expect(before.balance).toBe(10_001_000)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("never lets the balance pass 1,000,000,000", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(0)
      for (let i = 0; i < 99; i++) yield* points.charge({ userId: alice, amount: 10_000_000 })
      yield* points.charge({ userId: alice, amount: 9_999_000 })
      const error = yield* Effect.flip(points.charge({ userId: alice, amount: 1_001 }))
      expect(error).toEqual(
        new PointBalanceLimitExceeded({ userId: alice, amount: 1_001, balance: 999_999_000, limit: 1_000_000_000 }),
      )
      expect(error).toMatchObject({ code: "POINT_BALANCE_LIMIT_EXCEEDED", kind: "conflict" })
      expect((yield* points.charge({ userId: alice, amount: 1_000 })).balanceAfter).toBe(1_000_000_000)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("replays a repeated idempotency key: same entry, one change, one event", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(0)
      const first = yield* points.charge({ userId: alice, amount: 3_000, idempotencyKey: "req-1" })
      yield* points.charge({ userId: alice, amount: 2_000 })
      const replay = yield* points.charge({ userId: alice, amount: 3_000, idempotencyKey: "req-1" })
      expect(replay).toEqual(first)
      expect(replay.balanceAfter).toBe(3_000)
      expect(yield* points.balance(alice)).toBe(5_000)
      expect((yield* outboxEvents).filter((e) => e._tag === "PointsCharged")).toHaveLength(2)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("refuses a known key with another amount, and malformed keys, changing nothing", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(0)
      yield* points.charge({ userId: alice, amount: 3_000, idempotencyKey: "req-1" })
      const before = yield* snapshot
      const reused = yield* Effect.flip(points.charge({ userId: alice, amount: 4_000, idempotencyKey: "req-1" }))
      expect(reused).toEqual(
        new ChargeKeyReused({ idempotencyKey: "req-1", originalAmount: 3_000, requestedAmount: 4_000 }),
      )
      expect(reused).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" })
      for (const key of ["", "k".repeat(201)]) {
        const error = yield* Effect.flip(points.charge({ userId: alice, amount: 4_000, idempotencyKey: key }))
        expect(error).toEqual(new InvalidInput({ field: "idempotencyKey", reason: "must be 1 to 200 characters" }))
      }
      expect(yield* snapshot).toEqual(before)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("fails for a user without a wallet and raises nothing", () =>
    Effect.gen(function* () {
      const points = yield* PointService
      expect(yield* Effect.flip(points.charge({ userId: alice, amount: 5_000 }))).toBeInstanceOf(WalletNotFound)
      expect(yield* outboxEvents).toEqual([])
    }).pipe(Effect.provide(makeServices())),
  )
})

describe("PointService.use", () => {
  it.effect("pays an order: USE entry with the order id and a PointsUsed event", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(10_000)
      const entry = yield* points.use({ userId: alice, amount: won(4_000), orderId: order(7) })
      expect(entry).toMatchObject({ type: "USE", amount: 4_000, balanceAfter: 6_000, orderId: Option.some(7) })
      expect((yield* outboxEvents).at(-1)).toMatchObject({
        _tag: "PointsUsed",
        orderId: 7,
        amount: 4_000,
        balanceAfter: 6_000,
      })
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("debit pays inside the caller's transaction and hands the PointsUsed event back unappended", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(10_000)
      const eventsBefore = (yield* outboxEvents).length
      const { entry, event } = yield* (yield* Transactor).withTransaction(
        points.debit({ userId: alice, amount: won(4_000), orderId: order(7) }),
      )
      expect(entry).toMatchObject({ type: "USE", amount: 4_000, balanceAfter: 6_000, orderId: Option.some(7) })
      expect(event).toEqual({
        _tag: "PointsUsed",
        aggregateKey: "user:1",
        userId: alice,
        amount: 4_000,
        balanceAfter: 6_000,
        orderId: 7,
      })
      expect((yield* outboxEvents).length).toBe(eventsBefore)
      expect(yield* points.balance(alice)).toBe(6_000)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("fails with INSUFFICIENT_POINTS above the balance and changes nothing", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(10_000)
      const before = yield* snapshot
      const error = yield* Effect.flip(points.use({ userId: alice, amount: won(10_001), orderId: order(7) }))
      expect(error).toEqual(new InsufficientPoints({ userId: alice, requested: 10_001, available: 10_000 }))
      expect(error).toMatchObject({ code: "INSUFFICIENT_POINTS", kind: "conflict" })
      expect(yield* snapshot).toEqual(before)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("rejects an amount that is not Money as invalid input", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(10_000)
      for (const amount of [-1, 1.5, Number.NaN]) {
        const error = yield* Effect.flip(
          points.use({ userId: alice, amount: amount as Money.Money, orderId: order(7) }),
        )
        expect(error).toMatchObject({ _tag: "InvalidInput", field: "amount" })
        const refund = yield* Effect.flip(
          points.refund({ userId: alice, amount: amount as Money.Money, orderId: order(7) }),
        )
        expect(refund).toMatchObject({ _tag: "InvalidInput", field: "amount" })
      }
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("joins the caller's transaction: undone with it when the caller fails later", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(10_000)
      const tx = yield* Transactor
      const before = yield* snapshot
      const outcome = yield* Effect.flip(
        tx.withTransaction(
          Effect.zipRight(
            points.use({ userId: alice, amount: won(4_000), orderId: order(7) }),
            Effect.fail("stock ran out"),
          ),
        ),
      )
      expect(outcome).toBe("stock ran out")
      expect(yield* snapshot).toEqual(before)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("a refused use inside a caller's transaction leaves the caller's other writes intact", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(10_000)
      const tx = yield* Transactor
      yield* tx.withTransaction(
        Effect.gen(function* () {
          yield* points.use({ userId: alice, amount: won(3_000), orderId: order(1) })
          const refused = yield* Effect.flip(points.use({ userId: alice, amount: won(8_000), orderId: order(2) }))
          expect(refused).toBeInstanceOf(InsufficientPoints)
        }),
      )
      const after = yield* snapshot
      expect(after.balance).toBe(7_000)
      expect(after.history.map((e) => e.type)).toEqual(["USE", "CHARGE"])
      expect(after.events.map((e) => e._tag)).toEqual(["PointsCharged", "PointsUsed"])
    }).pipe(Effect.provide(makeServices())),
  )
})

describe("PointService.refund", () => {
  it.effect("refunds an order once; a repeat returns the current balance and raises nothing", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(10_000)
      yield* points.use({ userId: alice, amount: won(4_000), orderId: order(7) })
      yield* points.charge({ userId: alice, amount: 1_000 })
      const first = yield* points.refund({ userId: alice, amount: won(4_000), orderId: order(7) })
      expect(first.balance).toBe(11_000)
      expect(Option.getOrThrow(first.entry)).toMatchObject({ type: "REFUND", amount: 4_000, orderId: Option.some(7) })
      const before = yield* snapshot
      const again = yield* points.refund({ userId: alice, amount: won(4_000), orderId: order(7) })
      expect(again).toEqual({ entry: Option.none(), balance: 11_000 })
      expect(yield* snapshot).toEqual(before)
      expect(before.events.filter((e) => e._tag === "PointsRefunded")).toEqual([
        expect.objectContaining({ orderId: 7, amount: 4_000, balanceAfter: 11_000 }),
      ])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("never refunds more than the order used", () =>
    Effect.gen(function* () {
      const points = yield* withWallet(10_000)
      yield* points.use({ userId: alice, amount: won(4_000), orderId: order(7) })
      const before = yield* snapshot
      const error = yield* Effect.flip(points.refund({ userId: alice, amount: won(4_001), orderId: order(7) }))
      expect(error).toEqual(new RefundExceedsUsage({ userId: alice, orderId: order(7), requested: 4_001, used: 4_000 }))
      expect(error).toMatchObject({ code: "REFUND_EXCEEDS_USAGE", kind: "conflict" })
      const unused = yield* Effect.flip(points.refund({ userId: alice, amount: won(1), orderId: order(8) }))
      expect(unused).toBeInstanceOf(RefundExceedsUsage)
      expect(yield* snapshot).toEqual(before)
    }).pipe(Effect.provide(makeServices())),
  )
})
