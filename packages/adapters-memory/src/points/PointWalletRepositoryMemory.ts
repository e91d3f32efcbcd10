import {
  fromValidFields,
  InsufficientPoints,
  LedgerEntry,
  type LedgerEntryType,
  Money,
  type OrderId,
  PointBalanceLimitExceeded,
  PointWalletRepository,
  pageOf,
  RefundExceedsUsage,
  type UserId,
  WalletAlreadyExists,
  WalletNotFound,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { MemoryDatabase, type MemoryTx } from "../MemoryDatabase.js"

interface WalletRow {
  readonly balance: Money.Money
  readonly createdAt: Date
}

interface LedgerRow {
  readonly sequence: number
  readonly userId: UserId
  readonly entry: LedgerEntry
}

/** What an order did to a wallet: the refund guard (one per order, never above what was used). */
interface OrderPointsRow {
  readonly used: number
  readonly refunded: boolean
}

const keyOf = (userId: UserId, key: string) => `${userId}\u0000${key}`
const orderKeyOf = (userId: UserId, orderId: OrderId) => `${userId}:${orderId}`

export const PointWalletRepositoryMemory = Layer.effect(
  PointWalletRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const wallets = db.table<UserId, WalletRow>("point_wallets")
    const ledger = db.table<number, LedgerRow>("point_ledger", { keys: "sequence" })
    const chargeKeys = db.table<string, LedgerEntry>("point_charge_keys")
    const orderPoints = db.table<string, OrderPointsRow>("point_order_usage")

    const walletOf = (tx: MemoryTx, userId: UserId) => {
      const wallet = tx.get(wallets, userId)
      return wallet === undefined ? Effect.fail(new WalletNotFound({ userId })) : Effect.succeed(wallet)
    }

    /** Sets the new balance and appends the entry that explains it, in the caller's statement. */
    const record = (
      tx: MemoryTx,
      userId: UserId,
      wallet: WalletRow,
      fields: { type: LedgerEntryType; amount: Money.Money; balanceAfter: number; orderId?: OrderId; at: Date },
    ) => {
      // Every field is typed and the computed balance is checked by Money.make: no re-validation.
      const entry = fromValidFields(LedgerEntry, {
        type: fields.type,
        amount: fields.amount,
        balanceAfter: Money.make(fields.balanceAfter),
        orderId: Option.fromNullable(fields.orderId),
        createdAt: fields.at,
      })
      tx.set(wallets, userId, { ...wallet, balance: entry.balanceAfter })
      const sequence = db.nextId("point_ledger")
      tx.set(ledger, sequence, { sequence, userId, entry })
      return entry
    }

    return PointWalletRepository.of({
      create: (userId, at) =>
        db.write((tx) => {
          if (tx.get(wallets, userId) !== undefined) return Effect.fail(new WalletAlreadyExists({ userId }))
          tx.set(wallets, userId, { balance: Money.zero, createdAt: at })
          return Effect.void
        }),

      balance: (userId) =>
        db.read((view) => Option.map(Option.fromNullable(view.get(wallets, userId)), (w) => w.balance)),

      charge: ({ userId, amount, maxBalance, idempotencyKey, at }) =>
        db.write((tx) =>
          Effect.gen(function* () {
            if (Option.isSome(idempotencyKey)) {
              const earlier = tx.get(chargeKeys, keyOf(userId, idempotencyKey.value))
              if (earlier !== undefined) return { entry: earlier, replayed: true }
            }
            const wallet = yield* walletOf(tx, userId)
            const balanceAfter = wallet.balance + amount
            if (balanceAfter > maxBalance) {
              return yield* new PointBalanceLimitExceeded({
                userId,
                amount,
                balance: wallet.balance,
                limit: maxBalance,
              })
            }
            const entry = record(tx, userId, wallet, { type: "CHARGE", amount, balanceAfter, at })
            if (Option.isSome(idempotencyKey)) tx.set(chargeKeys, keyOf(userId, idempotencyKey.value), entry)
            return { entry, replayed: false }
          }),
        ),

      use: ({ userId, amount, orderId, at }) =>
        db.write((tx): Effect.Effect<LedgerEntry, WalletNotFound | InsufficientPoints> => {
          const wallet = tx.get(wallets, userId)
          if (wallet === undefined) return Effect.fail(new WalletNotFound({ userId }))
          if (wallet.balance < amount) {
            return Effect.fail(new InsufficientPoints({ userId, requested: amount, available: wallet.balance }))
          }
          const entry = record(tx, userId, wallet, {
            type: "USE",
            amount,
            balanceAfter: wallet.balance - amount,
            orderId,
            at,
          })
          const key = orderKeyOf(userId, orderId)
          const usage = tx.get(orderPoints, key)
          tx.set(orderPoints, key, { used: (usage?.used ?? 0) + amount, refunded: usage?.refunded ?? false })
          return Effect.succeed(entry)
        }),

      refund: ({ userId, amount, orderId, at }) =>
        db.write((tx) =>
          Effect.gen(function* () {
            const wallet = yield* walletOf(tx, userId)
            const key = orderKeyOf(userId, orderId)
            const usage = tx.get(orderPoints, key) ?? { used: 0, refunded: false }
            if (usage.refunded) return { entry: Option.none(), balance: wallet.balance }
            if (amount > usage.used) {
              return yield* new RefundExceedsUsage({ userId, orderId, requested: amount, used: usage.used })
            }
            const balanceAfter = wallet.balance + amount
            const entry = record(tx, userId, wallet, { type: "REFUND", amount, balanceAfter, orderId, at })
            tx.set(orderPoints, key, { ...usage, refunded: true })
            return { entry: Option.some(entry), balance: entry.balanceAfter }
          }),
        ),

      history: (userId, page) =>
        db.read((view) =>
          pageOf(
            view
              .values(ledger)
              .filter((row) => row.userId === userId)
              .sort((a, b) => b.sequence - a.sequence)
              .map((row) => row.entry),
            page,
          ),
        ),
    })
  }),
)
