import { likeRepositoryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { LikeRepositoryMemory, MemoryDatabaseLive } from "../../src/index.js"

likeRepositoryContract(() => LikeRepositoryMemory.pipe(Layer.provide(MemoryDatabaseLive)))
