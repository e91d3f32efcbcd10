import { cartRepositoryContract } from "@commerce-core/domain/testing"
import { CartRepositoryMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("CartRepositoryMysql", () => {
  const db = useTestDatabase()
  cartRepositoryContract(() => db.fresh(CartRepositoryMysql))
})
