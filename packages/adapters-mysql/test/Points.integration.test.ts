import { pointWalletRepositoryContract } from "@commerce-core/domain/testing"
import { PointWalletRepositoryMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("PointWalletRepositoryMysql", () => {
  const db = useTestDatabase()
  pointWalletRepositoryContract(() => db.fresh(PointWalletRepositoryMysql))
})
