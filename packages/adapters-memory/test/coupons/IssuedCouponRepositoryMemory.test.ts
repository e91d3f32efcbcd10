import { issuedCouponRepositoryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { CouponsMemory, MemoryDatabaseLive } from "../../src/index.js"

issuedCouponRepositoryContract(() => CouponsMemory.pipe(Layer.provide(MemoryDatabaseLive)), { numRuns: 100 })
