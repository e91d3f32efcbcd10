import { Context, type Effect, type Option } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { OrderId, UserId } from "../shared/Ids.js"
import type { Money } from "../shared/Money.js"
import type { Page, PageRequest } from "../shared/Pagination.js"
import type { LedgerEntry } from "./LedgerEntry.js"
import type {
  InsufficientPoints,
  PointBalanceLimitExceeded,
  RefundExceedsUsage,
  WalletAlreadyExists,
  WalletNotFound,
} from "./PointErrors.js"

export interface ChargeCommand {
  readonly userId: UserId
  readonly amount: Money
  /** The charge fails, changing nothing, when the balance would exceed this. */
  readonly maxBalance: Money
  /** Unique per user; a charge whose key was seen before replays the stored entry instead. */
  readonly idempotencyKey: Option.Option<string>
  readonly at: Date
}

export interface ChargeOutcome {
  readonly entry: LedgerEntry
  /** True when the key matched an earlier charge: `entry` is that charge's and nothing changed. */
  readonly replayed: boolean
}

export interface UseCommand {
  readonly userId: UserId
  readonly amount: Money
  readonly orderId: OrderId
  readonly at: Date
}

/**
 * Refunds are not capped by the balance limit: the limit bounds charging, and cancelling a
 * paid order must always give its points back. A refund never exceeds what the order used,
 * so the balance stays within maxBalance plus the points of orders still to be refunded.
 */
export interface RefundCommand {
  readonly userId: UserId
  readonly amount: Money
  readonly orderId: OrderId
  readonly at: Date
}

export interface RefundOutcome {
  /** None when the order had been refunded already (nothing changed). */
  readonly entry: Option.Option<LedgerEntry>
  /** The balance after the refund, or the current balance when nothing changed. */
  readonly balance: Money
}

/**
 * Point wallets and their ledgers. Every write is one atomic conditional statement that
 * checks, updates the balance and appends its ledger entry together (SQL: `UPDATE ... SET
 * balance = balance + ? WHERE user_id = ? AND balance + ? <= ?` plus the insert, in one
 * transaction), so the balance always equals the sum of the ledger and never goes below 0,
 * whatever runs concurrently. A failed operation changes nothing.
 */
export class PointWalletRepository extends Context.Tag("@commerce-core/domain/PointWalletRepository")<
  PointWalletRepository,
  {
    /** A wallet with balance 0. */
    readonly create: (userId: UserId, at: Date) => Effect.Effect<void, WalletAlreadyExists | PersistenceUnavailable>
    readonly balance: (userId: UserId) => Effect.Effect<Option.Option<Money>, PersistenceUnavailable>
    readonly charge: (
      command: ChargeCommand,
    ) => Effect.Effect<ChargeOutcome, WalletNotFound | PointBalanceLimitExceeded | PersistenceUnavailable>
    /** Fails with InsufficientPoints, changing nothing, when the balance is below the amount. */
    readonly use: (
      command: UseCommand,
    ) => Effect.Effect<LedgerEntry, WalletNotFound | InsufficientPoints | PersistenceUnavailable>
    /**
     * Refunds points an order used. At most one refund per (user, order): a later one changes
     * nothing. Fails when the amount is above what the order used.
     */
    readonly refund: (
      command: RefundCommand,
    ) => Effect.Effect<RefundOutcome, WalletNotFound | RefundExceedsUsage | PersistenceUnavailable>
    /** Ledger entries, newest first: the reverse of the order they were written in. */
    readonly history: (userId: UserId, page: PageRequest) => Effect.Effect<Page<LedgerEntry>, PersistenceUnavailable>
  }
>() {}
