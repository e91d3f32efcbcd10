export * from "./IdempotencyErrors.js"
export * from "./IdempotencyStore.js"
