import {
  CouponAlreadyIssued,
  type CouponIssueError,
  CouponSoldOut,
  type CouponTemplate,
  type IssuedCoupon,
  IssuedCouponRepository,
  type PersistenceUnavailable,
  type UserId,
} from "@commerce-core/domain"
import { Effect, Exit, Layer, Option } from "effect"
import { RedisClient } from "../RedisClient.js"
import { makeSingleFlight } from "../SingleFlight.js"
import { type GateSettlement, makeCouponIssueGate } from "./CouponIssueGate.js"
import { CouponIssueLedger } from "./CouponIssueLedger.js"

const settlementOf = (exit: Exit.Exit<IssuedCoupon, CouponIssueError | PersistenceUnavailable>): GateSettlement => {
  if (Exit.isSuccess(exit)) return "ISSUED"
  const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (failure?._tag === "CouponAlreadyIssued") return "HELD_ALREADY"
  if (failure?._tag === "CouponSoldOut") return "SOLD_OUT"
  return "FAILED"
}

/**
 * Decorates the real IssuedCouponRepository with a Redis gate that turns away duplicates and
 * sold-out requests in one Lua script before they reach the store. The store's `issue`
 * stays the only source of truth: the gate admits at most `totalQuantity` users at a time
 * and the store still checks its own unique and count constraints, so the gate can only
 * turn requests away early, never issue one the store refuses.
 *
 * Losing Redis data (FLUSHALL, eviction, expiry) can only make the gate admit MORE requests
 * than needed, which the store then refuses; its answers are written back (holders, sold
 * out), and with a CouponIssueLedger in context the gate is reloaded from the store before
 * it admits again. Redis errors let the request through to the store.
 *
 * Known trade-offs: a duplicate that arrives while the first request of that user is still
 * in flight is refused even if the first one then fails; a reservation whose holder process
 * dies before settling blocks its seat until the gate's keys expire (GATE_TTL_SECONDS).
 */
export const IssuedCouponRepositoryGated = Layer.effect(
  IssuedCouponRepository,
  Effect.gen(function* () {
    const store = yield* IssuedCouponRepository
    const gate = makeCouponIssueGate(yield* RedisClient)
    const ledger = yield* Effect.serviceOption(CouponIssueLedger)
    const reloads = makeSingleFlight()

    const reload = (template: CouponTemplate) =>
      Option.match(ledger, {
        onNone: () => Effect.void,
        onSome: (l) =>
          reloads.run(
            String(template.id),
            Effect.flatMap(l.holders(template.id), (holders) => gate.load(template, holders)),
          ),
      })

    const verdict = (template: CouponTemplate, userId: UserId) =>
      Effect.flatMap(gate.admit(template, userId, Option.isSome(ledger)), (first) =>
        first === "UNLOADED"
          ? Effect.zipRight(reload(template), gate.admit(template, userId, false))
          : Effect.succeed(first),
      ).pipe(
        // The gate is an optimisation: when Redis (or the reload) fails, the store decides alone.
        Effect.catchAll(() => Effect.succeed("BYPASS" as const)),
      )

    const issueThroughGate = (template: CouponTemplate, userId: UserId, now: Date) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(verdict(template, userId), (v) => {
          switch (v) {
            case "DUPLICATE":
              return Effect.fail(new CouponAlreadyIssued({ templateId: template.id, userId }))
            case "SOLD_OUT":
              return Effect.fail(new CouponSoldOut({ templateId: template.id }))
            case "BYPASS":
              return restore(store.issue(template, userId, now))
            default:
              // Settle whatever happens, interruption included; a failed settle only leaves the
              // gate more conservative until its keys expire.
              return restore(store.issue(template, userId, now)).pipe(
                Effect.onExit((exit) => Effect.ignore(gate.settle(template.id, userId, settlementOf(exit)))),
              )
          }
        }),
      )

    return IssuedCouponRepository.of({
      ...store,
      issue: issueThroughGate,
    })
  }),
)
