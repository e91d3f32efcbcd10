import {
  brandRepositoryContract,
  productListingContract,
  productRepositoryContract,
  productStockContract,
} from "@commerce-core/domain/testing"
import { CatalogMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("CatalogMysql", () => {
  const db = useTestDatabase()
  const makeLayer = () => db.fresh(CatalogMysql)
  brandRepositoryContract(makeLayer)
  productRepositoryContract(makeLayer)
  productStockContract(makeLayer)
  productListingContract(makeLayer, { numRuns: 25 })
})
