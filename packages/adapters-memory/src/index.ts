export * from "./EventOutboxMemory.js"
export * from "./IdGeneratorRandom.js"
export * from "./MemoryDatabase.js"
export * from "./TransactorMemory.js"
