import {
  periodRankingRepositoryContract,
  productMetricsRepositoryContract,
  rankingBoardContract,
  rankingBoardExpiryContract,
} from "@commerce-core/domain/testing"
import { PeriodRankingRepositoryMysql, ProductMetricsRepositoryMysql, RankingBoardMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("Ranking on MySQL", () => {
  const db = useTestDatabase()
  productMetricsRepositoryContract(() => db.fresh(ProductMetricsRepositoryMysql))
  periodRankingRepositoryContract(() => db.fresh(PeriodRankingRepositoryMysql))
  rankingBoardContract(() => db.fresh(RankingBoardMysql))
  rankingBoardExpiryContract(() => db.fresh(RankingBoardMysql))
})
