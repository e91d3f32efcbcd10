import { userRepositoryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { MemoryDatabaseLive } from "../../src/MemoryDatabase.js"
import { UserRepositoryMemory } from "../../src/users/UserRepositoryMemory.js"

userRepositoryContract(() => UserRepositoryMemory.pipe(Layer.provide(MemoryDatabaseLive)))
