import {
  InsufficientPoints,
  PageRequest,
  PointBalanceLimitExceeded,
  PointWalletRepository,
  RefundExceedsUsage,
  WalletAlreadyExists,
  WalletNotFound,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { pointWalletConcurrencyContract } from "./PointWalletConcurrencyContract.js"
import { at, expectConsistent, fullHistory, NO_LIMIT, orderId, userId, walletWith, won } from "./PointWalletFixtures.js"

const none = Option.none<string>()

/**
 * The behaviour every PointWalletRepository adapter must show. `makeLayer` is called once per
 * test and must give an empty store. User and order ids are plain numbers: the suite creates
 * no users or orders, so wallets must not depend on rows of other contexts.
 */
export const pointWalletRepositoryContract = (makeLayer: () => Layer.Layer<PointWalletRepository, unknown>) => {
  describe("PointWalletRepository contract", () => {
    it.effect("creates a wallet with balance 0 and an empty ledger; a second create fails", () =>
      Effect.gen(function* () {
        const wallets = yield* PointWalletRepository
        expect(Option.isNone(yield* wallets.balance(userId(1)))).toBe(true)
        yield* wallets.create(userId(1), at(0))
        expect(yield* wallets.balance(userId(1))).toEqual(Option.some(0))
        expect((yield* wallets.history(userId(1), PageRequest.make({}))).totalElements).toBe(0)
        const again = yield* Effect.flip(wallets.create(userId(1), at(1)))
        expect(again).toBeInstanceOf(WalletAlreadyExists)
        expect(yield* wallets.balance(userId(1))).toEqual(Option.some(0))
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("fails every change of a wallet that does not exist", () =>
      Effect.gen(function* () {
        const wallets = yield* PointWalletRepository
        const u = userId(7)
        const errors = yield* Effect.all([
          Effect.flip(
            wallets.charge({ userId: u, amount: won(1000), maxBalance: NO_LIMIT, idempotencyKey: none, at: at(1) }),
          ),
          Effect.flip(wallets.use({ userId: u, amount: won(10), orderId: orderId(1), at: at(1) })),
          Effect.flip(wallets.refund({ userId: u, amount: won(10), orderId: orderId(1), at: at(1) })),
        ])
        for (const error of errors) expect(error).toEqual(new WalletNotFound({ userId: u }))
        expect(Option.isNone(yield* wallets.balance(u))).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("charges: adds to the balance and records a CHARGE entry", () =>
      Effect.gen(function* () {
        const wallets = yield* walletWith(userId(1), 0)
        const first = yield* wallets.charge({
          userId: userId(1),
          amount: won(5000),
          maxBalance: NO_LIMIT,
          idempotencyKey: none,
          at: at(10),
        })
        const second = yield* wallets.charge({
          userId: userId(1),
          amount: won(1500),
          maxBalance: NO_LIMIT,
          idempotencyKey: none,
          at: at(20),
        })
        expect(first.replayed).toBe(false)
        expect({ ...first.entry }).toEqual({
          type: "CHARGE",
          amount: 5000,
          balanceAfter: 5000,
          orderId: Option.none(),
          createdAt: at(10),
        })
        expect(second.entry.balanceAfter).toBe(6500)
        expect(yield* wallets.balance(userId(1))).toEqual(Option.some(6500))
        const { entries } = yield* expectConsistent(userId(1))
        expect(entries).toEqual([first.entry, second.entry])
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("refuses a charge that would exceed maxBalance and changes nothing; reaching it exactly is fine", () =>
      Effect.gen(function* () {
        const wallets = yield* walletWith(userId(1), 9000)
        const refused = yield* Effect.flip(
          wallets.charge({
            userId: userId(1),
            amount: won(1001),
            maxBalance: won(10_000),
            idempotencyKey: Option.some("k1"),
            at: at(5),
          }),
        )
        expect(refused).toEqual(
          new PointBalanceLimitExceeded({ userId: userId(1), amount: 1001, balance: 9000, limit: 10_000 }),
        )
        expect(yield* wallets.balance(userId(1))).toEqual(Option.some(9000))
        expect((yield* fullHistory(userId(1))).length).toBe(1)
        // The refused charge did not store its key: the same key charges afresh.
        const exact = yield* wallets.charge({
          userId: userId(1),
          amount: won(1000),
          maxBalance: won(10_000),
          idempotencyKey: Option.some("k1"),
          at: at(6),
        })
        expect(exact.replayed).toBe(false)
        expect(exact.entry.balanceAfter).toBe(10_000)
        yield* expectConsistent(userId(1), 10_000)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("replays a charge with a known idempotency key: same entry, nothing changed", () =>
      Effect.gen(function* () {
        const wallets = yield* walletWith(userId(1), 0)
        yield* walletWith(userId(2), 0)
        const charge = (user: number, amount: number, key: string, seconds: number) =>
          wallets.charge({
            userId: userId(user),
            amount: won(amount),
            maxBalance: NO_LIMIT,
            idempotencyKey: Option.some(key),
            at: at(seconds),
          })
        const first = yield* charge(1, 3000, "abc", 10)
        const replay = yield* charge(1, 3000, "abc", 20)
        expect(replay.replayed).toBe(true)
        expect(replay.entry).toEqual(first.entry)
        // A replay answers with the first charge even when the amount differs; the service decides.
        const different = yield* charge(1, 7000, "abc", 30)
        expect(different).toEqual({ entry: first.entry, replayed: true })
        // Keys are per user and exact.
        expect((yield* charge(2, 3000, "abc", 40)).replayed).toBe(false)
        expect((yield* charge(1, 3000, "ABC", 50)).replayed).toBe(false)
        expect(yield* wallets.balance(userId(1))).toEqual(Option.some(6000))
        expect(yield* wallets.balance(userId(2))).toEqual(Option.some(3000))
        expect((yield* expectConsistent(userId(1))).entries).toHaveLength(2)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("uses points for an order: a USE entry with the order id", () =>
      Effect.gen(function* () {
        const wallets = yield* walletWith(userId(1), 10_000)
        const entry = yield* wallets.use({ userId: userId(1), amount: won(4000), orderId: orderId(42), at: at(30) })
        expect({ ...entry }).toEqual({
          type: "USE",
          amount: 4000,
          balanceAfter: 6000,
          orderId: Option.some(42),
          createdAt: at(30),
        })
        const all = yield* wallets.use({ userId: userId(1), amount: won(6000), orderId: orderId(43), at: at(31) })
        expect(all.balanceAfter).toBe(0)
        yield* expectConsistent(userId(1))
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("fails a use above the balance with InsufficientPoints and changes nothing", () =>
      Effect.gen(function* () {
        const wallets = yield* walletWith(userId(1), 2000)
        const error = yield* Effect.flip(
          wallets.use({ userId: userId(1), amount: won(2001), orderId: orderId(1), at: at(5) }),
        )
        expect(error).toEqual(new InsufficientPoints({ userId: userId(1), requested: 2001, available: 2000 }))
        expect(yield* wallets.balance(userId(1))).toEqual(Option.some(2000))
        expect(yield* fullHistory(userId(1))).toHaveLength(1)
        // The failed use left no usage behind for the order to be refunded.
        const refund = yield* Effect.flip(
          wallets.refund({ userId: userId(1), amount: won(1), orderId: orderId(1), at: at(6) }),
        )
        expect(refund).toBeInstanceOf(RefundExceedsUsage)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("refunds an order's points once; a second refund changes nothing and reports the balance", () =>
      Effect.gen(function* () {
        const wallets = yield* walletWith(userId(1), 10_000)
        yield* wallets.use({ userId: userId(1), amount: won(3000), orderId: orderId(9), at: at(10) })
        yield* wallets.use({ userId: userId(1), amount: won(2000), orderId: orderId(10), at: at(11) })
        const refunded = yield* wallets.refund({
          userId: userId(1),
          amount: won(3000),
          orderId: orderId(9),
          at: at(20),
        })
        const entry = Option.getOrThrow(refunded.entry)
        expect({ ...entry }).toEqual({
          type: "REFUND",
          amount: 3000,
          balanceAfter: 8000,
          orderId: Option.some(9),
          createdAt: at(20),
        })
        expect(refunded.balance).toBe(8000)
        const again = yield* wallets.refund({
          userId: userId(1),
          amount: won(3000),
          orderId: orderId(9),
          at: at(21),
        })
        expect(again).toEqual({ entry: Option.none(), balance: 8000 })
        expect(yield* fullHistory(userId(1))).toHaveLength(4)
        yield* expectConsistent(userId(1))
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("never refunds more than the order used, nor for an order of another user", () =>
      Effect.gen(function* () {
        const wallets = yield* walletWith(userId(1), 10_000)
        yield* walletWith(userId(2), 10_000)
        yield* wallets.use({ userId: userId(1), amount: won(3000), orderId: orderId(9), at: at(10) })
        const tooMuch = yield* Effect.flip(
          wallets.refund({
            userId: userId(1),
            amount: won(3001),
            orderId: orderId(9),
            at: at(11),
          }),
        )
        expect(tooMuch).toEqual(
          new RefundExceedsUsage({ userId: userId(1), orderId: orderId(9), requested: 3001, used: 3000 }),
        )
        const otherUser = yield* Effect.flip(
          wallets.refund({
            userId: userId(2),
            amount: won(3000),
            orderId: orderId(9),
            at: at(12),
          }),
        )
        expect(otherUser).toEqual(
          new RefundExceedsUsage({ userId: userId(2), orderId: orderId(9), requested: 3000, used: 0 }),
        )
        expect(yield* wallets.balance(userId(1))).toEqual(Option.some(7000))
        expect(yield* wallets.balance(userId(2))).toEqual(Option.some(10_000))
        // The refused refund did not count as the order's refund: a valid one still goes through.
        const partial = yield* wallets.refund({
          userId: userId(1),
          amount: won(1000),
          orderId: orderId(9),
          at: at(13),
        })
        expect(partial.balance).toBe(8000)
        yield* expectConsistent(userId(1))
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("refunds an order in full even when that takes the balance past maxBalance", () =>
      Effect.gen(function* () {
        const wallets = yield* walletWith(userId(1), 5000)
        yield* wallets.use({ userId: userId(1), amount: won(5000), orderId: orderId(1), at: at(10) })
        yield* wallets.charge({
          userId: userId(1),
          amount: won(10_000),
          maxBalance: won(10_000),
          idempotencyKey: none,
          at: at(11),
        })
        const outcome = yield* wallets.refund({ userId: userId(1), amount: won(5000), orderId: orderId(1), at: at(12) })
        expect(outcome.balance).toBe(15_000)
        expect(yield* wallets.balance(userId(1))).toEqual(Option.some(15_000))
        // Charging stays capped: the balance is already above the limit.
        const error = yield* Effect.flip(
          wallets.charge({
            userId: userId(1),
            amount: won(1000),
            maxBalance: won(10_000),
            idempotencyKey: none,
            at: at(13),
          }),
        )
        expect(error).toBeInstanceOf(PointBalanceLimitExceeded)
        expect(yield* fullHistory(userId(1))).toHaveLength(4)
        yield* expectConsistent(userId(1))
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("pages the history newest first, with only the wallet's own entries", () =>
      Effect.gen(function* () {
        const wallets = yield* walletWith(userId(1), 0)
        yield* walletWith(userId(2), 5000)
        for (let i = 1; i <= 5; i++) {
          yield* wallets.charge({
            userId: userId(1),
            amount: won(1000 * i),
            maxBalance: NO_LIMIT,
            idempotencyKey: none,
            at: at(100),
          })
        }
        const first = yield* wallets.history(userId(1), PageRequest.make({ page: 0, size: 2 }))
        expect(first.items.map((e) => e.amount)).toEqual([5000, 4000])
        expect(first).toMatchObject({ page: 0, size: 2, totalElements: 5, totalPages: 3, hasNext: true })
        const last = yield* wallets.history(userId(1), PageRequest.make({ page: 2, size: 2 }))
        expect(last.items.map((e) => e.amount)).toEqual([1000])
        expect(last.hasNext).toBe(false)
        const beyond = yield* wallets.history(userId(1), PageRequest.make({ page: 3, size: 2 }))
        expect(beyond.items).toEqual([])
        expect((yield* wallets.history(userId(2), PageRequest.make({}))).items.map((e) => e.amount)).toEqual([5000])
        expect((yield* wallets.history(userId(3), PageRequest.make({}))).totalElements).toBe(0)
      }).pipe(Effect.provide(makeLayer())),
    )

    pointWalletConcurrencyContract(makeLayer)
  })
}
