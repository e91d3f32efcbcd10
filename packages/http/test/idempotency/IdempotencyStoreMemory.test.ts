import { IdempotencyStoreMemory, MemoryDatabaseLive } from "@commerce-core/adapters-memory"
import { idempotencyStoreContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"

// Runs here because the HTTP package owns the idempotency context end to end.
idempotencyStoreContract(() => IdempotencyStoreMemory.pipe(Layer.provide(MemoryDatabaseLive)))
