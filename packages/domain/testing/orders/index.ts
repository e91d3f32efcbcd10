export * from "./OrderRepositoryContract.js"
