import { periodRankingRepositoryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { PeriodRankingRepositoryMemory } from "../../src/ranking/PeriodRankingRepositoryMemory.js"

periodRankingRepositoryContract(() => PeriodRankingRepositoryMemory.pipe(Layer.provide(MemoryDatabaseLive)))
