import { productMetricsRepositoryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { ProductMetricsRepositoryMemory } from "../../src/ranking/ProductMetricsRepositoryMemory.js"

productMetricsRepositoryContract(() => ProductMetricsRepositoryMemory.pipe(Layer.provide(MemoryDatabaseLive)))
