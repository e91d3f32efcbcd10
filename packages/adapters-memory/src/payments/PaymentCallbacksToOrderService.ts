import { OrderService } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { PaymentGatewaySimulator } from "./PaymentGatewaySimulated.js"

/** Delivers the simulated gateway's callbacks to OrderService.handleCallback, as the HTTP endpoint would. */
export const PaymentCallbacksToOrderService = Layer.effectDiscard(
  Effect.gen(function* () {
    const simulator = yield* PaymentGatewaySimulator
    const orders = yield* OrderService
    yield* simulator.connect((callback) => orders.handleCallback(callback))
  }),
)
