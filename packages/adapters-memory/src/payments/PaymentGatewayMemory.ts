import { defaultGatewayPolicy, type GatewayPolicy, PaymentGatewayResilient } from "@commerce-core/domain"
import { Layer } from "effect"
import {
  defaultGatewaySimulation,
  type GatewaySimulation,
  PaymentGatewaySimulated,
  PaymentGatewaySimulator,
} from "./PaymentGatewaySimulated.js"

/**
 * The embedded payment gateway: one simulated gateway behind the resilience policy (timeout,
 * retries, circuit breaker), plus its simulator controls. Add PaymentCallbacksToOrderService
 * (or an HTTP callback endpoint) to deliver its callbacks.
 */
export const PaymentGatewayMemory = (
  simulation: GatewaySimulation = defaultGatewaySimulation,
  policy: GatewayPolicy = defaultGatewayPolicy,
) => {
  const simulated = PaymentGatewaySimulated(simulation)
  return Layer.merge(
    PaymentGatewayResilient(policy).pipe(Layer.provide(simulated)),
    Layer.effect(PaymentGatewaySimulator, PaymentGatewaySimulator).pipe(Layer.provide(simulated)),
  )
}
