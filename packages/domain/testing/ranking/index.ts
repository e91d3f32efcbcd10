export * from "./PeriodRankingRepositoryContract.js"
export * from "./ProductMetricsRepositoryContract.js"
export * from "./RankingBoardContract.js"
export * from "./RankingEvents.js"
