import { orderRepositoryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { OrderRepositoryMemory } from "../../src/orders/OrderRepositoryMemory.js"

orderRepositoryContract(() => OrderRepositoryMemory.pipe(Layer.provide(MemoryDatabaseLive)))
