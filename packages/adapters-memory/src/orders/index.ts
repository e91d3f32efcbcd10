export * from "./OrderRepositoryMemory.js"
