import { likeRepositoryContract } from "@commerce-core/domain/testing"
import { LikeRepositoryMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("LikeRepositoryMysql", () => {
  const db = useTestDatabase()
  likeRepositoryContract(() => db.fresh(LikeRepositoryMysql))
})
