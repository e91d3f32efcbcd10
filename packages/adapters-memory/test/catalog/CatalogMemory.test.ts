import {
  brandRepositoryContract,
  productListingContract,
  productRepositoryContract,
  productStockContract,
} from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { CatalogMemory, MemoryDatabaseLive } from "../../src/index.js"

const makeLayer = () => CatalogMemory.pipe(Layer.provide(MemoryDatabaseLive))

brandRepositoryContract(makeLayer)
productRepositoryContract(makeLayer)
productStockContract(makeLayer)
productListingContract(makeLayer, { numRuns: 100 })
