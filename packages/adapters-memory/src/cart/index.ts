export * from "./CartRepositoryMemory.js"
