import { userRepositoryContract } from "@commerce-core/domain/testing"
import { UserRepositoryMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("UserRepositoryMysql", () => {
  const db = useTestDatabase()
  userRepositoryContract(() => db.fresh(UserRepositoryMysql))
})
