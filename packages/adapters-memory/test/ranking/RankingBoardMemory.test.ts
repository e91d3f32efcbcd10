import { rankingBoardContract, rankingBoardExpiryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { RankingBoardMemory } from "../../src/ranking/RankingBoardMemory.js"

const fresh = () => RankingBoardMemory.pipe(Layer.provide(MemoryDatabaseLive))

rankingBoardContract(fresh)
rankingBoardExpiryContract(fresh)
