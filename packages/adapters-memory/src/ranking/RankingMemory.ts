import { Layer } from "effect"
import { PeriodRankingRepositoryMemory } from "./PeriodRankingRepositoryMemory.js"
import { ProductMetricsRepositoryMemory } from "./ProductMetricsRepositoryMemory.js"
import { RankingBoardMemory } from "./RankingBoardMemory.js"

/** Every ranking port in memory; requires MemoryDatabase. */
export const RankingMemory = Layer.mergeAll(
  RankingBoardMemory,
  ProductMetricsRepositoryMemory,
  PeriodRankingRepositoryMemory,
)
