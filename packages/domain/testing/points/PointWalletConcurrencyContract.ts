import {
  InsufficientPoints,
  PointBalanceLimitExceeded,
  type PointWalletRepository,
  RefundExceedsUsage,
} from "@commerce-core/domain"
import { expect, it } from "@effect/vitest"
import { Effect, Exit, type Layer, Option } from "effect"
import { at, expectConsistent, NO_LIMIT, orderId, userId, walletWith, won } from "./PointWalletFixtures.js"

const failuresOf = <A, E>(exits: ReadonlyArray<Exit.Exit<A, E>>) =>
  Effect.all(exits.filter(Exit.isFailure).map((exit) => Effect.flip(exit)))

/** Races hundreds of fibers on one wallet, then checks counts and the ledger exactly. */
export const pointWalletConcurrencyContract = (makeLayer: () => Layer.Layer<PointWalletRepository, unknown>) => {
  it.effect("200 racing uses: exactly as many succeed as the balance covers, the rest change nothing", () =>
    Effect.gen(function* () {
      const wallets = yield* walletWith(userId(1), 100_000)
      const exits = yield* Effect.all(
        Array.from({ length: 200 }, (_, i) =>
          Effect.exit(wallets.use({ userId: userId(1), amount: won(700), orderId: orderId(i + 1), at: at(10) })),
        ),
        { concurrency: "unbounded" },
      )
      expect(exits.filter(Exit.isSuccess)).toHaveLength(142)
      const failures = yield* failuresOf(exits)
      expect(failures).toHaveLength(58)
      expect(failures.every((e) => e instanceof InsufficientPoints)).toBe(true)
      const { balance, entries } = yield* expectConsistent(userId(1))
      expect(balance).toBe(100_000 - 142 * 700)
      expect(entries).toHaveLength(143)
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("200 racing charges never push the balance past maxBalance", () =>
    Effect.gen(function* () {
      const wallets = yield* walletWith(userId(1), 0)
      const exits = yield* Effect.all(
        Array.from({ length: 200 }, () =>
          Effect.exit(
            wallets.charge({
              userId: userId(1),
              amount: won(1000),
              maxBalance: won(150_000),
              idempotencyKey: Option.none(),
              at: at(10),
            }),
          ),
        ),
        { concurrency: "unbounded" },
      )
      expect(exits.filter(Exit.isSuccess)).toHaveLength(150)
      const failures = yield* failuresOf(exits)
      expect(failures.every((e) => e instanceof PointBalanceLimitExceeded)).toBe(true)
      const { balance } = yield* expectConsistent(userId(1), 150_000)
      expect(balance).toBe(150_000)
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("100 racing charges with one idempotency key charge once and all answer the same entry", () =>
    Effect.gen(function* () {
      const wallets = yield* walletWith(userId(1), 0)
      const outcomes = yield* Effect.all(
        Array.from({ length: 100 }, () =>
          wallets.charge({
            userId: userId(1),
            amount: won(2500),
            maxBalance: NO_LIMIT,
            idempotencyKey: Option.some("same-key"),
            at: at(10),
          }),
        ),
        { concurrency: "unbounded" },
      )
      expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1)
      for (const outcome of outcomes) expect(outcome.entry).toEqual(outcomes[0]!.entry)
      const { balance, entries } = yield* expectConsistent(userId(1))
      expect(balance).toBe(2500)
      expect(entries).toHaveLength(1)
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("100 racing refunds of one order refund it exactly once", () =>
    Effect.gen(function* () {
      const wallets = yield* walletWith(userId(1), 10_000)
      yield* wallets.use({ userId: userId(1), amount: won(4000), orderId: orderId(5), at: at(10) })
      const outcomes = yield* Effect.all(
        Array.from({ length: 100 }, () =>
          wallets.refund({
            userId: userId(1),
            amount: won(4000),
            orderId: orderId(5),
            at: at(20),
          }),
        ),
        { concurrency: "unbounded" },
      )
      expect(outcomes.filter((o) => Option.isSome(o.entry))).toHaveLength(1)
      for (const outcome of outcomes) expect(outcome.balance).toBe(10_000)
      const { balance, entries } = yield* expectConsistent(userId(1))
      expect(balance).toBe(10_000)
      expect(entries.map((e) => e.type)).toEqual(["CHARGE", "USE", "REFUND"])
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("300 racing charges, uses and refunds on three wallets keep every ledger consistent", () =>
    Effect.gen(function* () {
      const wallets = yield* walletWith(userId(1), 5000)
      yield* walletWith(userId(2), 5000)
      yield* walletWith(userId(3), 5000)
      const max = won(40_000)
      const operation = (i: number): Effect.Effect<unknown, unknown> => {
        const user = userId((i % 3) + 1)
        const order = orderId(Math.floor(i / 3) % 20)
        switch (i % 4) {
          case 0:
            return wallets.charge({
              userId: user,
              amount: won(1000 + (i % 7) * 500),
              maxBalance: max,
              idempotencyKey: Option.none(),
              at: at(i),
            })
          case 1:
          case 2:
            return wallets.use({
              userId: user,
              amount: won(300 + (i % 11) * 200),
              orderId: orderId(order + 1),
              at: at(i),
            })
          default:
            return wallets.refund({
              userId: user,
              amount: won(300),
              orderId: orderId(order + 1),
              at: at(i),
            })
        }
      }
      const exits = yield* Effect.all(
        Array.from({ length: 300 }, (_, i) => Effect.exit(operation(i))),
        { concurrency: "unbounded" },
      )
      expect(exits.filter(Exit.isSuccess).length).toBeGreaterThan(0)
      const expected = [InsufficientPoints, PointBalanceLimitExceeded, RefundExceedsUsage]
      for (const failure of yield* failuresOf(exits)) {
        expect(expected.some((type) => failure instanceof type)).toBe(true)
      }
      for (const user of [1, 2, 3]) yield* expectConsistent(userId(user), max)
    }).pipe(Effect.provide(makeLayer())),
  )
}
