import { rankingBoardContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { RankingBoardMemory } from "../../src/ranking/RankingBoardMemory.js"

rankingBoardContract(() => RankingBoardMemory.pipe(Layer.provide(MemoryDatabaseLive)))
