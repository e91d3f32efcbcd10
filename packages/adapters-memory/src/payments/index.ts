export * from "./PaymentCallbacksToOrderService.js"
export * from "./PaymentGatewayMemory.js"
export * from "./PaymentGatewaySimulated.js"
export * from "./SeededRandom.js"
