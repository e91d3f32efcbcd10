export * from "./PointWalletRepositoryMemory.js"
