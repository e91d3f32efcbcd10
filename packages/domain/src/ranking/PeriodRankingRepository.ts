import { Context, type Effect } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { Page, PageRequest } from "../shared/Pagination.js"
import type { RankedEntry } from "./RankingBoard.js"
import type { MaterialisedPeriod } from "./RankingPeriod.js"

/**
 * Materialised weekly and monthly boards, keyed by period and period key ("2026-W47",
 * "202611"). `replace` swaps a whole board atomically (readers see the old board or the new
 * one, never a mix), so rebuilding a period any number of times leaves the same board.
 * Entries are stored as given (ranks included) and paged in rank order.
 */
export class PeriodRankingRepository extends Context.Tag("@commerce-core/domain/PeriodRankingRepository")<
  PeriodRankingRepository,
  {
    readonly replace: (
      period: MaterialisedPeriod,
      key: string,
      entries: ReadonlyArray<RankedEntry>,
    ) => Effect.Effect<void, PersistenceUnavailable>
    readonly page: (
      period: MaterialisedPeriod,
      key: string,
      request: PageRequest,
    ) => Effect.Effect<Page<RankedEntry>, PersistenceUnavailable>
  }
>() {}
