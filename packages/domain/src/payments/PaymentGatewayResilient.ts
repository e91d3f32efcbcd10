import { Duration, Effect, Layer, Ref, Schedule } from "effect"
import * as CircuitBreaker from "./CircuitBreaker.js"
import { PaymentGatewayUnavailable } from "./PaymentErrors.js"
import { PaymentGateway, type PaymentRequest } from "./PaymentGateway.js"

export interface GatewayPolicy {
  /** Per call attempt. */
  readonly timeout: Duration.DurationInput
  /** Retries after the first attempt, with jittered exponential backoff from `backoffBase`. */
  readonly maxRetries: number
  readonly backoffBase: Duration.DurationInput
  /** Consecutive failed attempts that open the circuit, and how long it stays open. */
  readonly failureThreshold: number
  readonly resetTimeout: Duration.DurationInput
}

export const defaultGatewayPolicy: GatewayPolicy = {
  timeout: Duration.seconds(3),
  maxRetries: 2,
  backoffBase: Duration.millis(100),
  failureThreshold: 5,
  resetTimeout: Duration.seconds(10),
}

type Gateway = PaymentGateway["Type"]

/**
 * Wraps a gateway with a timeout per attempt, bounded jittered exponential retries and one
 * circuit breaker shared by all calls. An open circuit surfaces as PaymentGatewayUnavailable
 * (callers treat both alike: the payment stays pending). A retried `requestPayment` first
 * asks the gateway for the order's transactions and adopts an existing one, because a timed
 * out request may have reached the gateway: retrying blindly could charge twice.
 */
export const withResilience = (gateway: Gateway, policy: GatewayPolicy = defaultGatewayPolicy) =>
  Effect.gen(function* () {
    const breaker = yield* CircuitBreaker.make<PaymentGatewayUnavailable>({
      name: "payment-gateway",
      failureThreshold: policy.failureThreshold,
      resetTimeout: policy.resetTimeout,
    })
    const schedule = Schedule.exponential(policy.backoffBase).pipe(
      Schedule.jittered,
      Schedule.intersect(Schedule.recurs(policy.maxRetries)),
    )

    const guarded = <A>(call: Effect.Effect<A, PaymentGatewayUnavailable>) =>
      breaker.protect(
        call.pipe(
          Effect.timeoutFail({
            duration: policy.timeout,
            onTimeout: () => new PaymentGatewayUnavailable({ reason: "timed out" }),
          }),
        ),
      )

    const resilient = <A>(attempt: (n: number) => Effect.Effect<A, PaymentGatewayUnavailable>) =>
      Effect.gen(function* () {
        const count = yield* Ref.make(0)
        return yield* Ref.getAndUpdate(count, (n) => n + 1).pipe(
          Effect.flatMap((n) => guarded(attempt(n))),
          Effect.retry({ schedule, while: (e) => e._tag === "PaymentGatewayUnavailable" }),
          Effect.catchTag("CircuitOpen", (e) => Effect.fail(new PaymentGatewayUnavailable({ reason: e.message }))),
        )
      })

    const requestPayment = (request: PaymentRequest) =>
      resilient((n) =>
        n === 0
          ? gateway.requestPayment(request)
          : Effect.flatMap(gateway.listTransactions(request.orderId), (existing) => {
              const last = existing.at(-1)
              return last ? Effect.succeed(last) : gateway.requestPayment(request)
            }),
      )

    return PaymentGateway.of({
      requestPayment,
      getTransaction: (key) => resilient(() => gateway.getTransaction(key)),
      listTransactions: (orderId) => resilient(() => gateway.listTransactions(orderId)),
    })
  })

/** Replaces the PaymentGateway it is given with its resilient version. */
export const PaymentGatewayResilient = (policy: GatewayPolicy = defaultGatewayPolicy) =>
  Layer.effect(
    PaymentGateway,
    Effect.flatMap(PaymentGateway, (gateway) => withResilience(gateway, policy)),
  )
