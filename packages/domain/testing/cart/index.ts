export * from "./CartRepositoryContract.js"
