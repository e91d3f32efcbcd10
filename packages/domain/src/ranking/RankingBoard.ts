import { Context, type Effect, type Option } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { ProductId } from "../shared/Ids.js"
import type { Page, PageRequest } from "../shared/Pagination.js"
import type { BusinessDate } from "./BusinessDate.js"
import type { EventPoints, PointsEntry } from "./RankingPoints.js"

/** A product's place on a board: rank is 1-based, ties broken by ascending product id. */
export interface RankedEntry {
  readonly rank: number
  readonly productId: ProductId
  readonly points: number
}

export interface BoardPosition {
  readonly rank: number
  readonly points: number
}

/** How long a daily board (and a carry-over marker) outlives its last write: 2 days. */
export const DAILY_BOARD_TTL_MILLIS = 2 * 24 * 60 * 60 * 1000

/** Outcome of a carry-over: `applied` is false when that (from, to) pair had already run. */
export interface CarryOverResult {
  readonly applied: boolean
  /** Products seeded on the target board by this run (0 when not applied). */
  readonly seeded: number
}

/**
 * The live daily board: integer points per product per Seoul day.
 *
 * - A product is on a day's board once any increment named it, even when its points net to 0;
 *   products never named are unranked (None), not ranked last.
 * - `increment` is one atomic statement; additions commute, so any delivery order of the same
 *   increments gives the same board.
 * - `carryOver(from, to, permille)` adds floor(points x permille / 1000) of every positive
 *   score on `from` to `to`, on top of whatever `to` already has, and records in the same
 *   atomic step that the pair ran: a second call for the same pair changes nothing and
 *   reports `applied: false`, whatever ratio it passes.
 * - Expiry: a day's board is gone `DAILY_BOARD_TTL_MILLIS` after its last write (increment,
 *   or a carry-over that seeded it): every read finds it empty and the next write starts it
 *   afresh. A carry-over marker is gone the same time after its carry-over, so that pair may
 *   run again. Redis uses key TTLs; the other adapters compare the Clock with the recorded
 *   time of the last write and delete expired rows lazily, on a later write.
 */
export class RankingBoard extends Context.Tag("@commerce-core/domain/RankingBoard")<
  RankingBoard,
  {
    readonly increment: (
      date: BusinessDate,
      entries: ReadonlyArray<PointsEntry>,
    ) => Effect.Effect<void, PersistenceUnavailable>
    /**
     * Each event's points, in one atomic step: the board `increment` of their sum would give,
     * except that an event applied before changes nothing. A board written in the event inbox's
     * transaction (memory, SQL) gets that from the inbox, which never commits one consumer's
     * handling of an event twice. A board outside that transaction (Redis) keeps the ids it
     * applied: a consumer whose transaction fails after the board was written (the commit, say)
     * is delivered the events again, and they must not count twice.
     */
    readonly incrementEvents: (
      date: BusinessDate,
      events: ReadonlyArray<EventPoints>,
    ) => Effect.Effect<void, PersistenceUnavailable>
    readonly top: (date: BusinessDate, request: PageRequest) => Effect.Effect<Page<RankedEntry>, PersistenceUnavailable>
    readonly rankOf: (
      date: BusinessDate,
      productId: ProductId,
    ) => Effect.Effect<Option.Option<BoardPosition>, PersistenceUnavailable>
    readonly carryOver: (
      from: BusinessDate,
      to: BusinessDate,
      carryOverPermille: number,
    ) => Effect.Effect<CarryOverResult, PersistenceUnavailable>
  }
>() {}
