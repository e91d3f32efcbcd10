import {
  type LedgerEntry,
  Money,
  type OrderId,
  PageRequest,
  PointWalletRepository,
  signedAmount,
  type UserId,
} from "@commerce-core/domain"
import { expect } from "@effect/vitest"
import { Effect, Option } from "effect"

/** Whole seconds, so that any SQL DATETIME keeps the times exactly. */
export const at = (seconds: number) => new Date(Date.UTC(2026, 2, 1) + seconds * 1000)

export const userId = (n: number) => n as UserId
export const orderId = (n: number) => n as OrderId
export const won = (n: number) => Money.make(n)

/** A ceiling high enough never to matter where a test is not about the limit. */
export const NO_LIMIT = won(1_000_000_000_000)

/** Every ledger entry of a wallet, newest first, read through the port page by page. */
export const fullHistory = (user: UserId) =>
  Effect.gen(function* () {
    const wallets = yield* PointWalletRepository
    const entries: Array<LedgerEntry> = []
    for (let page = 0; ; page++) {
      const result = yield* wallets.history(user, PageRequest.make({ page, size: 100 }))
      entries.push(...result.items)
      if (!result.hasNext) return entries
    }
  })

/**
 * The wallet invariant, checked exactly: the balance is the sum of the ledger, every entry's
 * balanceAfter is the running sum up to it, and no balance is ever negative or above `max`.
 */
export const expectConsistent = (user: UserId, max: number = NO_LIMIT) =>
  Effect.gen(function* () {
    const wallets = yield* PointWalletRepository
    const balance = Option.getOrThrow(yield* wallets.balance(user))
    const oldestFirst = (yield* fullHistory(user)).reverse()
    let running = 0
    for (const entry of oldestFirst) {
      running += signedAmount(entry)
      expect(entry.balanceAfter).toBe(running)
      expect(running).toBeGreaterThanOrEqual(0)
      expect(running).toBeLessThanOrEqual(max)
    }
    expect(balance).toBe(running)
    return { balance, entries: oldestFirst }
  })

/** A wallet for `user` holding `amount` points (one CHARGE entry, unless amount is 0). */
export const walletWith = (user: UserId, amount: number) =>
  Effect.gen(function* () {
    const wallets = yield* PointWalletRepository
    yield* wallets.create(user, at(0))
    if (amount > 0) {
      yield* wallets.charge({
        userId: user,
        amount: won(amount),
        maxBalance: NO_LIMIT,
        idempotencyKey: Option.none(),
        at: at(1),
      })
    }
    return wallets
  })
