import { Clock, Context, Effect, Layer, Option } from "effect"
import { type DomainEventTag, type EventInput, stampEvent } from "../events/DomainEvent.js"
import { aggregateKey } from "../events/EventFields.js"
import { EventOutbox } from "../events/EventOutbox.js"
import { InvalidInput, type PersistenceUnavailable } from "../shared/DomainError.js"
import { IdGenerator } from "../shared/IdGenerator.js"
import type { OrderId, UserId } from "../shared/Ids.js"
import { isMoney, type Money } from "../shared/Money.js"
import type { Page, PageRequest } from "../shared/Pagination.js"
import { Transactor } from "../shared/Transactor.js"
import type { LedgerEntry } from "./LedgerEntry.js"
import {
  ChargeKeyReused,
  type InsufficientPoints,
  InvalidChargeAmount,
  type PointBalanceLimitExceeded,
  type RefundExceedsUsage,
  WalletNotFound,
} from "./PointErrors.js"
import { PointPolicy } from "./PointPolicy.js"
import { PointWalletRepository, type RefundOutcome } from "./PointWalletRepository.js"

export interface ChargeInput {
  readonly userId: UserId
  /** Checked against the policy: an integer in [minCharge, maxCharge]. */
  readonly amount: number
  /** The same (user, key) replays the first charge's entry and changes nothing. */
  readonly idempotencyKey?: string | undefined
}

/** Points an order pays with, or gets back; `amount` may be 0 for a fully discounted order. */
export interface OrderPointsInput {
  readonly userId: UserId
  readonly amount: Money
  readonly orderId: OrderId
  /** When it happened, for the ledger entry: the caller's transaction time; else the clock's. */
  readonly at?: Date | undefined
}

export type ChargeError =
  | InvalidChargeAmount
  | InvalidInput
  | WalletNotFound
  | PointBalanceLimitExceeded
  | ChargeKeyReused
  | PersistenceUnavailable

export const IDEMPOTENCY_KEY_MAX_LENGTH = 200

export type PointsUsedDraft = { readonly _tag: "PointsUsed" } & EventInput<"PointsUsed">

export class PointService extends Context.Tag("@commerce-core/domain/PointService")<
  PointService,
  {
    readonly balance: (userId: UserId) => Effect.Effect<Money, WalletNotFound | PersistenceUnavailable>
    readonly charge: (input: ChargeInput) => Effect.Effect<LedgerEntry, ChargeError>
    /** Pays an order; meant to run inside the order's transaction (it nests as a savepoint). */
    readonly use: (
      input: OrderPointsInput,
    ) => Effect.Effect<LedgerEntry, InvalidInput | WalletNotFound | InsufficientPoints | PersistenceUnavailable>
    /**
     * `use` for a caller that holds the order's transaction and appends the order's events in
     * one go: the debit and its ledger entry, no savepoint and no append of its own; the
     * PointsUsed event comes back for the caller to append. Must run inside a transaction.
     * Its refusals (no wallet, too few points) come before any write.
     */
    readonly debit: (
      input: OrderPointsInput,
    ) => Effect.Effect<
      { readonly entry: LedgerEntry; readonly event: PointsUsedDraft },
      InvalidInput | WalletNotFound | InsufficientPoints | PersistenceUnavailable
    >
    /** Gives an order's points back, once per order; a repeated refund returns the current balance. */
    readonly refund: (
      input: OrderPointsInput,
    ) => Effect.Effect<RefundOutcome, InvalidInput | WalletNotFound | RefundExceedsUsage | PersistenceUnavailable>
    readonly history: (
      userId: UserId,
      page: PageRequest,
    ) => Effect.Effect<Page<LedgerEntry>, WalletNotFound | PersistenceUnavailable>
  }
>() {}

const invalidOrderAmount = () =>
  Effect.fail(new InvalidInput({ field: "amount", reason: "must be a non-negative integer" }))

const checkOrderAmount = (amount: number) => (isMoney(amount) ? Effect.succeed(amount) : invalidOrderAmount())

const checkIdempotencyKey = (key: string | undefined) => {
  if (key === undefined) return Effect.succeed(Option.none<string>())
  if (typeof key !== "string" || key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    return Effect.fail(
      new InvalidInput({ field: "idempotencyKey", reason: `must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters` }),
    )
  }
  return Effect.succeed(Option.some(key))
}

export const PointServiceLive = Layer.effect(
  PointService,
  Effect.gen(function* () {
    const wallets = yield* PointWalletRepository
    const policy = yield* PointPolicy
    const tx = yield* Transactor
    const outbox = yield* EventOutbox
    const ids = yield* IdGenerator

    const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))
    const append = <T extends DomainEventTag>(tag: T, fields: EventInput<T>) =>
      Effect.flatMap(stampEvent(ids, tag, fields), (event) => outbox.append([event]))

    const requireWallet = (userId: UserId) =>
      Effect.flatMap(
        wallets.balance(userId),
        Option.match({
          onNone: () => Effect.fail(new WalletNotFound({ userId })),
          onSome: Effect.succeed,
        }),
      )

    const checkChargeAmount = (amount: number) =>
      isMoney(amount) && amount >= policy.minCharge && amount <= policy.maxCharge
        ? Effect.succeed(amount)
        : Effect.fail(new InvalidChargeAmount({ amount, min: policy.minCharge, max: policy.maxCharge }))

    // Runs inside every point order's transaction: plain combinators, no generator.
    const debitAt = (input: OrderPointsInput, at: Date) =>
      Effect.map(wallets.use({ userId: input.userId, amount: input.amount, orderId: input.orderId, at }), (entry) => ({
        entry,
        event: {
          _tag: "PointsUsed" as const,
          aggregateKey: aggregateKey.user(input.userId),
          userId: input.userId,
          amount: input.amount,
          balanceAfter: entry.balanceAfter,
          orderId: input.orderId,
        },
      }))
    const debit: PointService["Type"]["debit"] = (input) => {
      if (!isMoney(input.amount)) return invalidOrderAmount()
      const at = input.at
      return at === undefined ? Effect.flatMap(now, (clock) => debitAt(input, clock)) : debitAt(input, at)
    }

    return PointService.of({
      balance: requireWallet,

      charge: (input) =>
        Effect.gen(function* () {
          const amount = yield* checkChargeAmount(input.amount)
          const idempotencyKey = yield* checkIdempotencyKey(input.idempotencyKey)
          const at = yield* now
          return yield* tx.withTransaction(
            Effect.gen(function* () {
              const { entry, replayed } = yield* wallets.charge({
                userId: input.userId,
                amount,
                maxBalance: policy.maxBalance,
                idempotencyKey,
                at,
              })
              if (replayed) {
                if (entry.amount !== amount) {
                  return yield* new ChargeKeyReused({
                    idempotencyKey: input.idempotencyKey ?? "",
                    originalAmount: entry.amount,
                    requestedAmount: amount,
                  })
                }
                return entry
              }
              yield* append("PointsCharged", {
                aggregateKey: aggregateKey.user(input.userId),
                userId: input.userId,
                amount,
                balanceAfter: entry.balanceAfter,
              })
              return entry
            }),
          )
        }),

      debit,

      use: (input) =>
        tx.withTransaction(
          Effect.flatMap(debit(input), ({ entry, event }) => {
            const { _tag, ...fields } = event
            return Effect.as(append(_tag, fields), entry)
          }),
        ),

      refund: (input) =>
        Effect.gen(function* () {
          const amount = yield* checkOrderAmount(input.amount)
          const at = yield* now
          return yield* tx.withTransaction(
            Effect.gen(function* () {
              const outcome = yield* wallets.refund({
                userId: input.userId,
                amount,
                orderId: input.orderId,
                at,
              })
              if (Option.isSome(outcome.entry)) {
                yield* append("PointsRefunded", {
                  aggregateKey: aggregateKey.user(input.userId),
                  userId: input.userId,
                  amount,
                  balanceAfter: outcome.entry.value.balanceAfter,
                  orderId: input.orderId,
                })
              }
              return outcome
            }),
          )
        }),

      history: (userId, page) => Effect.zipRight(requireWallet(userId), wallets.history(userId, page)),
    })
  }),
)
