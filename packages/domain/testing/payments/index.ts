export * from "./PaymentGatewayContract.js"
