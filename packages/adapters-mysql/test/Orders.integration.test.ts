import { orderRepositoryContract } from "@commerce-core/domain/testing"
import { OrderRepositoryMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("OrderRepositoryMysql", () => {
  const db = useTestDatabase()
  orderRepositoryContract(() => db.fresh(OrderRepositoryMysql))
})
