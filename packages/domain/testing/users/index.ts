export * from "./UserRepositoryContract.js"
