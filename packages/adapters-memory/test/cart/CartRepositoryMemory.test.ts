import { cartRepositoryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { CartRepositoryMemory, MemoryDatabaseLive } from "../../src/index.js"

cartRepositoryContract(() => CartRepositoryMemory.pipe(Layer.provide(MemoryDatabaseLive)))
