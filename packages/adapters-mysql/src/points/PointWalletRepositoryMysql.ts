import {
  InsufficientPoints,
  LedgerEntry,
  type LedgerEntryType,
  Money,
  makePage,
  OrderId,
  PointBalanceLimitExceeded,
  PointWalletRepository,
  RefundExceedsUsage,
  type UserId,
  WalletAlreadyExists,
  WalletNotFound,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { makeDb, onDuplicateKey } from "../internal/Db.js"

interface LedgerRow {
  readonly type: LedgerEntryType
  readonly amount: number | string
  readonly balance_after: number | string
  readonly order_id: number | string | null
  readonly created_at: Date
}

/** Rows were validated on their way in, so they are mapped without re-validation (~100 µs a row). */
const toEntry = (row: LedgerRow) =>
  new LedgerEntry(
    {
      type: row.type,
      amount: Number(row.amount) as Money.Money,
      balanceAfter: Number(row.balance_after) as Money.Money,
      orderId: row.order_id === null ? Option.none() : Option.some(Number(row.order_id) as OrderId),
      createdAt: row.created_at,
    },
    true,
  )

/**
 * Wallets and ledgers. `use` is one conditional UPDATE (`balance >= ?`); charges and refunds
 * first lock the wallet row, which serialises the idempotency-key and refund checks per user;
 * every change inserts its ledger row in the same transaction, so balance = sum of the ledger.
 */
export const PointWalletRepositoryMysql = Layer.effect(
  PointWalletRepository,
  Effect.gen(function* () {
    const { sql, run, joined, deferred } = yield* makeDb

    /** The balance under an exclusive row lock: later reads and writes of this wallet wait for us. */
    const lockedBalance = (userId: UserId) =>
      run(
        sql<{ balance: number | string }>`SELECT balance FROM point_wallet WHERE user_id = ${userId} FOR UPDATE`,
      ).pipe(
        Effect.flatMap((rows) =>
          rows[0] === undefined ? Effect.fail(new WalletNotFound({ userId })) : Effect.succeed(Number(rows[0].balance)),
        ),
      )

    const currentBalance = (userId: UserId) =>
      run(sql<{ balance: number | string }>`SELECT balance FROM point_wallet WHERE user_id = ${userId}`).pipe(
        Effect.map((rows) => (rows[0] === undefined ? Option.none() : Option.some(Number(rows[0].balance)))),
      )

    const appendEntry = (
      userId: UserId,
      entry: {
        type: LedgerEntryType
        amount: number
        balanceAfter: number
        orderId: number | null
        at: Date
        idempotencyKey?: string | null
      },
    ) =>
      // deferred: the ledger's unique keys (a charge's idempotency key, a refund's order) were
      // checked under the wallet's lock, so the row cannot collide
      deferred(
        sql`INSERT INTO point_ledger ${sql.insert({
          user_id: userId,
          type: entry.type,
          amount: entry.amount,
          balance_after: entry.balanceAfter,
          order_id: entry.orderId,
          idempotency_key: entry.idempotencyKey ?? null,
          refund_order_id: entry.type === "REFUND" ? entry.orderId : null,
          created_at: entry.at,
        })}`,
      ).pipe(
        Effect.as(
          new LedgerEntry({
            type: entry.type,
            amount: Money.make(entry.amount),
            balanceAfter: Money.make(entry.balanceAfter),
            orderId: entry.orderId === null ? Option.none() : Option.some(OrderId.make(entry.orderId)),
            createdAt: entry.at,
          }),
        ),
      )

    const ledgerColumns = sql`type, amount, balance_after, order_id, created_at`

    return PointWalletRepository.of({
      create: (userId, at) =>
        sql`INSERT INTO point_wallet ${sql.insert({ user_id: userId, balance: 0, created_at: at })}`.raw.pipe(
          onDuplicateKey(() => new WalletAlreadyExists({ userId })),
          run,
          Effect.asVoid,
        ),

      balance: (userId) => Effect.map(currentBalance(userId), Option.map(Money.make)),

      charge: (command) =>
        joined(
          Effect.gen(function* () {
            const balance = yield* lockedBalance(command.userId)
            if (Option.isSome(command.idempotencyKey)) {
              // A locking read: it sees the latest committed charge, whatever snapshot the caller holds.
              const seen = yield* run(sql<LedgerRow>`SELECT ${ledgerColumns} FROM point_ledger
                WHERE user_id = ${command.userId} AND idempotency_key = ${command.idempotencyKey.value}
                LOCK IN SHARE MODE`)
              if (seen[0] !== undefined) return { entry: toEntry(seen[0]), replayed: true }
            }
            if (balance + command.amount > command.maxBalance) {
              return yield* new PointBalanceLimitExceeded({
                userId: command.userId,
                amount: command.amount,
                balance,
                limit: command.maxBalance,
              })
            }
            yield* run(
              sql`UPDATE point_wallet SET balance = balance + ${command.amount} WHERE user_id = ${command.userId}`,
            )
            const entry = yield* appendEntry(command.userId, {
              type: "CHARGE",
              amount: command.amount,
              balanceAfter: balance + command.amount,
              orderId: null,
              at: command.at,
              idempotencyKey: Option.getOrNull(command.idempotencyKey),
            })
            return { entry, replayed: false }
          }),
        ),

      use: (command) =>
        joined(
          Effect.gen(function* () {
            // One round trip: the conditional UPDATE and, under the lock it took, what it left.
            const results = yield* run(
              sql`UPDATE point_wallet SET balance = balance - ${command.amount}
                WHERE user_id = ${command.userId} AND balance >= ${command.amount};
                SELECT ROW_COUNT() AS matched, balance FROM point_wallet WHERE user_id = ${command.userId}
                LOCK IN SHARE MODE`.unprepared,
            )
            const row = (
              results[1] as ReadonlyArray<{ matched: number | string; balance: number | string }> | undefined
            )?.[0]
            if (row === undefined) return yield* new WalletNotFound({ userId: command.userId })
            if (Number(row.matched) === 0) {
              return yield* new InsufficientPoints({
                userId: command.userId,
                requested: command.amount,
                available: Number(row.balance),
              })
            }
            return yield* appendEntry(command.userId, {
              type: "USE",
              amount: command.amount,
              balanceAfter: Number(row.balance),
              orderId: command.orderId,
              at: command.at,
            })
          }),
        ),

      refund: (command) =>
        joined(
          Effect.gen(function* () {
            const balance = yield* lockedBalance(command.userId)
            const entries = yield* run(sql<{ type: LedgerEntryType; amount: number | string }>`SELECT type, amount
              FROM point_ledger WHERE user_id = ${command.userId} AND order_id = ${command.orderId}
              LOCK IN SHARE MODE`)
            if (entries.some((e) => e.type === "REFUND")) {
              return { entry: Option.none(), balance: Money.make(balance) }
            }
            const used = entries.filter((e) => e.type === "USE").reduce((sum, e) => sum + Number(e.amount), 0)
            if (command.amount > used) {
              return yield* new RefundExceedsUsage({
                userId: command.userId,
                orderId: command.orderId,
                requested: command.amount,
                used,
              })
            }
            yield* run(
              sql`UPDATE point_wallet SET balance = balance + ${command.amount} WHERE user_id = ${command.userId}`,
            )
            const entry = yield* appendEntry(command.userId, {
              type: "REFUND",
              amount: command.amount,
              balanceAfter: balance + command.amount,
              orderId: command.orderId,
              at: command.at,
            })
            return { entry: Option.some(entry), balance: Money.make(balance + command.amount) }
          }),
        ),

      history: (userId, page) =>
        Effect.gen(function* () {
          const rows = yield* run(sql<LedgerRow>`SELECT ${ledgerColumns} FROM point_ledger WHERE user_id = ${userId}
            ORDER BY id DESC LIMIT ${page.size} OFFSET ${page.offset}`)
          const total = yield* run(sql<{ n: number }>`SELECT COUNT(*) AS n FROM point_ledger WHERE user_id = ${userId}`)
          return makePage(rows.map(toEntry), page, Number(total[0]?.n ?? 0))
        }),
    })
  }),
)
