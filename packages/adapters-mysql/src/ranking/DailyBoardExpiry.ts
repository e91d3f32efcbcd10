import { type BusinessDate, DAILY_BOARD_TTL_MILLIS } from "@commerce-core/domain"
import { Effect, Option } from "effect"
import { affectedRows, type Db } from "../internal/Db.js"
import { CurrentTransaction, type LazyTransaction } from "../internal/LazyTransaction.js"

/** `written_at_ms` of a board row this transaction has just inserted (never committed). */
const STARTING = -1

/** The oldest write time of a board or marker still alive at `now` (Redis keeps a key until its TTL has passed). */
export const aliveSince = (now: number) => now - DAILY_BOARD_TTL_MILLIS

/**
 * The write times of the daily boards (`ranking_daily_board`, one row per board). A board
 * whose row is missing or older than the TTL reads as empty; its rows are deleted by a later
 * write that checks a board (`touch` below), one expired board per check, so no writer ever
 * carries a backlog of deletes and the table stays a few days long.
 *
 * `touch` must run in the writing transaction before the board's rows are written. It locks
 * the board's row exclusively: writers of one board queue on it until they commit, and an
 * expired board is never written to and emptied at once.
 */
export const makeBoardExpiry = ({ sql, run, deferred }: Db) => {
  // Per board, a committed write time this process read under the board's lock. The stored
  // time only grows while the board lives (a board is emptied only once expired), so while this
  // time is within the TTL so is the board, and a write needs no look at the row, only a
  // refresh that travels with the rows' upsert.
  const seenAlive = new Map<BusinessDate, number>()
  // Boards each open transaction has touched. A later touch in the same transaction may read the
  // transaction's own uncommitted time (or one a rolled-back savepoint left), which must neither
  // be trusted by the fast path nor enter `seenAlive`: it checks the row again instead.
  const touchedBy = new WeakMap<LazyTransaction, Set<BusinessDate>>()

  // At most one expired board per call: a backlog (boards left by a long pause, or by the
  // migration) drains over later checks instead of landing on one writer's transaction.
  const deleteExpired = (except: BusinessDate, now: number) =>
    Effect.gen(function* () {
      const expired = yield* run(sql<{ board_date: string }>`SELECT board_date FROM ranking_daily_board
        WHERE written_at_ms < ${aliveSince(now)} AND board_date <> ${except} ORDER BY board_date LIMIT 1`)
      for (const { board_date } of expired) {
        // re-checked under the row's lock: a concurrent writer may have restarted the board
        const claimed = yield* run(
          sql`DELETE FROM ranking_daily_board WHERE board_date = ${board_date}
            AND written_at_ms < ${aliveSince(now)}`.raw,
        )
        if (affectedRows(claimed) === 1)
          yield* deferred(sql`DELETE FROM ranking_daily WHERE board_date = ${board_date}`)
      }
      // Markers are a handful per day. They are read without locks and deleted by key, re-checked:
      // a range DELETE on the unindexed time would lock every marker it scanned.
      const markers = yield* run(sql<{ from_date: string; to_date: string }>`SELECT from_date, to_date
        FROM ranking_carry_over WHERE carried_at_ms < ${aliveSince(now)} ORDER BY from_date, to_date`)
      for (const { from_date, to_date } of markers) {
        yield* deferred(sql`DELETE FROM ranking_carry_over WHERE from_date = ${from_date} AND to_date = ${to_date}
          AND carried_at_ms < ${aliveSince(now)}`)
      }
      for (const [date, seen] of seenAlive) if (seen < aliveSince(now)) seenAlive.delete(date)
    })

  // Locks the board's row (inserting it if missing), empties the board if it expired, and
  // deletes one other expired board. `cache`: the row read is committed (this transaction has
  // not written it), so a live time may serve later writes.
  const check = (date: BusinessDate, now: number, cache: boolean) =>
    Effect.gen(function* () {
      yield* deferred(sql`INSERT INTO ranking_daily_board (board_date, written_at_ms) VALUES (${date}, ${STARTING})
        ON DUPLICATE KEY UPDATE board_date = board_date`)
      const rows = yield* run(
        sql<{ written_at_ms: number | string }>`SELECT written_at_ms FROM ranking_daily_board
          WHERE board_date = ${date} FOR UPDATE`,
      )
      const stored = Number(rows[0]?.written_at_ms ?? STARTING)
      if (stored === STARTING || stored < aliveSince(now)) {
        // a board that had no row has no rows either: the two are deleted together
        if (stored !== STARTING) yield* deferred(sql`DELETE FROM ranking_daily WHERE board_date = ${date}`)
        seenAlive.delete(date)
      } else if (cache) {
        seenAlive.set(date, stored)
      }
      yield* deferred(sql`UPDATE ranking_daily_board SET written_at_ms = GREATEST(written_at_ms, ${now})
        WHERE board_date = ${date}`)
      yield* deleteExpired(date, now)
    })

  const refresh = (date: BusinessDate, now: number) =>
    deferred(sql`INSERT INTO ranking_daily_board (board_date, written_at_ms) VALUES (${date}, ${now})
      ON DUPLICATE KEY UPDATE written_at_ms = GREATEST(written_at_ms, VALUES(written_at_ms))`)

  return {
    /** Records a write of `date`'s board at `now`; inside the writing transaction, before the rows. */
    touch: (date: BusinessDate, now: number) =>
      Effect.flatMap(Effect.serviceOption(CurrentTransaction), (open) => {
        const transaction = Option.getOrUndefined(open)
        let touched = transaction === undefined ? undefined : touchedBy.get(transaction)
        if (touched?.has(date)) return check(date, now, false)
        if (transaction !== undefined) {
          if (touched === undefined) {
            touched = new Set()
            touchedBy.set(transaction, touched)
          }
          touched.add(date)
        }
        const seen = seenAlive.get(date)
        return seen !== undefined && seen >= aliveSince(now) ? refresh(date, now) : check(date, now, true)
      }),
    /** Joins a board's rows (`alias.board_date`) to its row, keeping them only while the board is alive. */
    aliveJoin: (alias: string, now: number) =>
      sql`JOIN ranking_daily_board b ON b.board_date = ${sql(alias)}.board_date
        AND b.written_at_ms >= ${aliveSince(now)}`,
  }
}
