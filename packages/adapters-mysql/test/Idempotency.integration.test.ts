import { idempotencyStoreContract } from "@commerce-core/domain/testing"
import { IdempotencyStoreMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("IdempotencyStoreMysql", () => {
  const db = useTestDatabase()
  idempotencyStoreContract(() => db.fresh(IdempotencyStoreMysql))
})
