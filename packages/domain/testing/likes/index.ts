export * from "./LikeRepositoryContract.js"
