export * from "./IdempotencyStoreMemory.js"
