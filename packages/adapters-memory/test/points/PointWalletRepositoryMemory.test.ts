import { pointWalletRepositoryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { PointWalletRepositoryMemory } from "../../src/points/PointWalletRepositoryMemory.js"

pointWalletRepositoryContract(() => PointWalletRepositoryMemory.pipe(Layer.provide(MemoryDatabaseLive)))
