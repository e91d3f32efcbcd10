export * from "./PaymentCallbacksToOrderService.js"
export * from "./PaymentGatewaySimulated.js"
export * from "./SeededRandom.js"
