import { randomBytes } from "node:crypto"
import {
  GatewayCallback,
  GatewayTransaction,
  type OrderId,
  PaymentGateway,
  PaymentGatewayUnavailable,
} from "@commerce-core/domain"
import { Context, Duration, Effect, FiberSet, Layer, Option } from "effect"
import { seededRandom } from "./SeededRandom.js"

export interface GatewaySimulation {
  /** Same seed and same sequence of calls: same outcomes. */
  readonly seed: number
  /** Time from a request until its transaction settles and the callback is sent. */
  readonly latency: Duration.DurationInput
  /** Time every call takes before it answers (a slow gateway; 0 by default). */
  readonly callLatency?: Duration.DurationInput
  /** Share of calls (any operation) that fail as unavailable; a failed request creates nothing. */
  readonly requestFailureRatio: number
  /** Share of transactions the card issuer declines (they settle FAILED). */
  readonly declineRatio: number
  /** Share of settled transactions whose callback never arrives. */
  readonly lostCallbackRatio: number
  /** Share of delivered callbacks that are delivered twice. */
  readonly duplicateCallbackRatio?: number
  /**
   * Share of requests that reach the gateway and are registered, but whose answer never comes
   * back: the caller sees the call fail as unavailable (0 by default).
   */
  readonly responseLostRatio?: number
  /**
   * Such a request registers up to this long after the call failed (a delay drawn under the
   * seed, 0 = at once): until then neither getTransaction nor listTransactions shows it.
   */
  readonly registrationDelay?: Duration.DurationInput
  /**
   * Part of every transaction key (`TR-<instanceId>-00000001`), so that keys stay unique
   * across instances: a restarted process must never hand out a key of the previous one,
   * which its reconciliation may still ask about. Default: random per instance (not drawn
   * from `seed`, so outcomes replay unchanged); set it to replay the keys too. 1 to 32
   * letters or digits.
   */
  readonly instanceId?: string
}

export const defaultGatewaySimulation: GatewaySimulation = {
  seed: 1,
  latency: Duration.millis(50),
  requestFailureRatio: 0,
  declineRatio: 0.1,
  lostCallbackRatio: 0,
}

export type CallbackReceiver = (callback: GatewayCallback) => Effect.Effect<unknown, unknown>

/** Test and wiring controls of the simulated gateway (not part of the domain port). */
export class PaymentGatewaySimulator extends Context.Tag("@commerce-core/adapters-memory/PaymentGatewaySimulator")<
  PaymentGatewaySimulator,
  {
    /** Where callbacks go (the HTTP callback endpoint in production); none connected = all lost. */
    readonly connect: (receiver: CallbackReceiver) => Effect.Effect<void>
    /** While down, every call fails as unavailable (settling and callbacks continue). */
    readonly setDown: (down: boolean) => Effect.Effect<void>
    readonly transactions: Effect.Effect<ReadonlyArray<GatewayTransaction>>
    /** Callbacks delivered (duplicates counted) and lost so far; requests registered or to be; answers lost. */
    readonly stats: Effect.Effect<{
      readonly delivered: number
      readonly lost: number
      readonly requests: number
      readonly responsesLost: number
    }>
  }
>() {}

const checkRatio = (name: string, value: number) => {
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be within 0..1, got ${value}`)
}

const checkInstanceId = (id: string) => {
  if (!/^[A-Za-z0-9]{1,32}$/.test(id)) throw new RangeError(`instanceId must be 1 to 32 letters or digits, got "${id}"`)
  return id
}

/**
 * An in-memory card payment gateway: requests register a PENDING transaction that settles
 * (SUCCESS, or FAILED when declined) after `latency`, then calls back asynchronously in a fiber
 * of the layer's scope. Outcomes are drawn from a PRNG seeded by `seed`.
 *
 * It remembers transactions only in memory: after a restart it knows none of the previous
 * process's keys (getTransaction answers none), so a durable deployment reconciling across
 * restarts needs a real gateway client.
 */
export const PaymentGatewaySimulated = (simulation: GatewaySimulation = defaultGatewaySimulation) =>
  Layer.scopedContext(
    Effect.gen(function* () {
      checkRatio("requestFailureRatio", simulation.requestFailureRatio)
      checkRatio("declineRatio", simulation.declineRatio)
      checkRatio("lostCallbackRatio", simulation.lostCallbackRatio)
      checkRatio("duplicateCallbackRatio", simulation.duplicateCallbackRatio ?? 0)
      checkRatio("responseLostRatio", simulation.responseLostRatio ?? 0)
      const instanceId = checkInstanceId(simulation.instanceId ?? randomBytes(6).toString("hex"))
      const responseLostRatio = simulation.responseLostRatio ?? 0
      const registrationDelay = Duration.toMillis(Duration.decode(simulation.registrationDelay ?? Duration.zero))
      const random = seededRandom(simulation.seed)
      const latency = Duration.decode(simulation.latency)
      const callLatency = Duration.decode(simulation.callLatency ?? Duration.zero)
      const fibers = yield* FiberSet.make()
      const byKey = new Map<string, GatewayTransaction>()
      const byOrder = new Map<OrderId, Array<string>>()
      let receiver: CallbackReceiver | undefined
      let down = false
      let sequence = 0
      const counters = { delivered: 0, lost: 0, requests: 0, responsesLost: 0 }

      const call = <A>(f: () => A) =>
        Effect.gen(function* () {
          if (Duration.toMillis(callLatency) > 0) yield* Effect.sleep(callLatency)
          if (down || random() < simulation.requestFailureRatio) {
            return yield* new PaymentGatewayUnavailable({ reason: "simulated gateway error" })
          }
          return f()
        })

      const deliver = (callback: GatewayCallback, times: number) =>
        Effect.gen(function* () {
          for (let i = 0; i < times; i++) {
            const target = receiver
            if (target === undefined) {
              counters.lost++
              continue
            }
            counters.delivered++
            yield* Effect.ignore(target(callback))
          }
        })

      const settle = (key: string, declined: boolean, lost: boolean, duplicated: boolean) =>
        Effect.gen(function* () {
          yield* Effect.sleep(latency)
          const pending = byKey.get(key)
          if (pending === undefined) return
          const settled = new GatewayTransaction(
            { ...pending, status: declined ? "FAILED" : "SUCCESS", ...(declined ? { reason: "card declined" } : {}) },
            true,
          )
          byKey.set(key, settled)
          if (lost) {
            counters.lost++
            return
          }
          yield* deliver(
            new GatewayCallback(
              {
                transactionKey: key,
                orderId: settled.orderId,
                status: settled.status,
                ...(settled.reason === undefined ? {} : { reason: settled.reason }),
              },
              true,
            ),
            duplicated ? 2 : 1,
          )
        })

      const gateway = PaymentGateway.of({
        requestPayment: (request) =>
          Effect.flatMap(
            call(() => {
              sequence++
              counters.requests++
              const transactionKey = `TR-${instanceId}-${String(sequence).padStart(8, "0")}`
              const transaction = new GatewayTransaction(
                { transactionKey, orderId: request.orderId, amount: request.amount, status: "PENDING" },
                true,
              )
              // Drawn only when enabled, so that older simulations replay exactly as before.
              const responseLost = responseLostRatio > 0 && random() < responseLostRatio
              const delay = responseLost && registrationDelay > 0 ? Math.floor(random() * (registrationDelay + 1)) : 0
              const declined = random() < simulation.declineRatio
              const lost = random() < simulation.lostCallbackRatio
              const duplicated = random() < (simulation.duplicateCallbackRatio ?? 0)
              return { transaction, responseLost, delay, declined, lost, duplicated }
            }),
            ({ transaction, responseLost, delay, declined, lost, duplicated }) => {
              const register = Effect.sync(() => {
                byKey.set(transaction.transactionKey, transaction)
                byOrder.set(transaction.orderId, [
                  ...(byOrder.get(transaction.orderId) ?? []),
                  transaction.transactionKey,
                ])
              })
              const settling = settle(transaction.transactionKey, declined, lost, duplicated)
              if (!responseLost)
                return Effect.zipRight(register, Effect.as(FiberSet.run(fibers, settling), transaction))
              counters.responsesLost++
              const registered =
                delay > 0
                  ? FiberSet.run(fibers, Effect.delay(Effect.zipRight(register, settling), Duration.millis(delay)))
                  : Effect.zipRight(register, FiberSet.run(fibers, settling))
              return Effect.zipRight(
                registered,
                Effect.fail(new PaymentGatewayUnavailable({ reason: "simulated lost response" })),
              )
            },
          ),
        getTransaction: (key) => call(() => Option.fromNullable(byKey.get(key))),
        listTransactions: (orderId) =>
          call(() =>
            (byOrder.get(orderId) ?? []).flatMap((key) => Option.toArray(Option.fromNullable(byKey.get(key)))),
          ),
      })

      const simulator = PaymentGatewaySimulator.of({
        connect: (r) =>
          Effect.sync(() => {
            receiver = r
          }),
        setDown: (value) =>
          Effect.sync(() => {
            down = value
          }),
        transactions: Effect.sync(() => Array.from(byKey.values())),
        stats: Effect.sync(() => ({ ...counters })),
      })

      return Context.make(PaymentGateway, gateway).pipe(Context.add(PaymentGatewaySimulator, simulator))
    }),
  )
