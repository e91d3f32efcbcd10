export * from "./PeriodRankingRepositoryMysql.js"
export * from "./ProductMetricsRepositoryMysql.js"
export * from "./RankingBoardMysql.js"
