export * from "./PeriodRankingRepositoryMemory.js"
export * from "./ProductMetricsRepositoryMemory.js"
export * from "./RankingBoardMemory.js"
export * from "./RankingMemory.js"
