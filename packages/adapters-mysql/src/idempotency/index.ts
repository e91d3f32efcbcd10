export * from "./IdempotencyStoreMysql.js"
