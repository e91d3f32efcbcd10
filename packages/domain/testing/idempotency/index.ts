export * from "./IdempotencyStoreContract.js"
