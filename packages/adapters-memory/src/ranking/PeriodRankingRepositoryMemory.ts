import { type MaterialisedPeriod, PeriodRankingRepository, pageOf, type RankedEntry } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

const boardKey = (period: MaterialisedPeriod, key: string) => `${period}/${key}`

/** One row per board holding all its entries, so a replace swaps the board in one write. */
export const PeriodRankingRepositoryMemory = Layer.effect(
  PeriodRankingRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const boards = db.table<string, ReadonlyArray<RankedEntry>>("ranking_period_board")

    return PeriodRankingRepository.of({
      replace: (period, key, entries) =>
        db.write((tx) =>
          Effect.sync(() => {
            const sorted = [...entries].sort((a, b) => a.rank - b.rank || a.productId - b.productId)
            tx.set(boards, boardKey(period, key), sorted)
          }),
        ),
      page: (period, key, request) => db.read((view) => pageOf(view.get(boards, boardKey(period, key)) ?? [], request)),
    })
  }),
)
