export * from "./Order.js"
export * from "./OrderErrors.js"
export * as OrderStatusMachine from "./OrderStatusMachine.js"
