import { hourlyOrderCountsContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { HourlyOrderCountsMemory } from "../../src/ranking/HourlyOrderCountsMemory.js"

hourlyOrderCountsContract(() => HourlyOrderCountsMemory.pipe(Layer.provide(MemoryDatabaseLive)))
