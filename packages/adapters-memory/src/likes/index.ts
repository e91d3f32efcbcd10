export * from "./LikeRepositoryMemory.js"
