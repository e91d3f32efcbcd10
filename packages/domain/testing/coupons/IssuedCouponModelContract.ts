import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"
import * as fc from "fast-check"
import type { CouponTemplateRepository } from "../../src/coupons/CouponTemplateRepository.js"
import { couponStatusAt } from "../../src/coupons/IssuedCoupon.js"
import type { IssuedCouponRepository } from "../../src/coupons/IssuedCouponRepository.js"
import { at, type CouponPortsLayer, DAY_MS, order, setup, T0, user } from "./CouponFixtures.js"

type Op =
  | { readonly kind: "use"; readonly byOwner: boolean; readonly order: number; readonly advance: number }
  | { readonly kind: "restore"; readonly order: number; readonly advance: number }

const advance = fc.integer({ min: 0, max: Math.floor(DAY_MS / 4) })
const orderNo = fc.integer({ min: 1, max: 4 })
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("use" as const), byOwner: fc.boolean(), order: orderNo, advance }),
  fc.record({ kind: fc.constant("restore" as const), order: orderNo, advance }),
)

/** The specification of one issued coupon (validDays = 1), written independently of the adapters. */
interface Model {
  status: "AVAILABLE" | "USED" | "EXPIRED"
  usedBy: number | undefined
}

/**
 * fast-check properties every IssuedCouponRepository must satisfy; each run builds a fresh
 * layer, so `numRuns` bounds the cost against real engines.
 */
export const issuedCouponModelContract = (makeLayer: CouponPortsLayer, numRuns: number) => {
  const property = <A>(
    name: string,
    arbitrary: fc.Arbitrary<A>,
    check: (value: A) => Effect.Effect<void, unknown, CouponTemplateRepository | IssuedCouponRepository>,
  ) =>
    it.live(
      name,
      () =>
        Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(arbitrary, (value) => Effect.runPromise(Effect.provide(check(value), makeLayer()))),
            { numRuns },
          ),
        ),
      120_000,
    )

  describe("properties", () => {
    property(
      "issuing under contention never exceeds totalQuantity and never gives one user two",
      fc.tuple(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 80 }),
      ),
      ([total, attempts]) =>
        Effect.gen(function* () {
          const { coupons, template } = yield* setup({ totalQuantity: total })
          const results = yield* Effect.all(
            attempts.map((u) => Effect.either(coupons.issue(template, user(u), T0))),
            { concurrency: "unbounded" },
          )
          const winners = new Set<number>()
          for (const r of results) {
            if (Either.isLeft(r)) continue
            expect(winners.has(r.right.userId)).toBe(false)
            winners.add(r.right.userId)
          }
          expect(winners.size).toBe(Math.min(total, new Set(attempts).size))
          results.forEach((r, i) => {
            if (Either.isLeft(r)) {
              expect(r.left._tag).toBe(winners.has(attempts[i]!) ? "CouponAlreadyIssued" : "CouponSoldOut")
            }
          })
        }),
    )

    property(
      "markUsed/restore follow the state machine: one live use, idempotent restore, expired stays expired",
      fc.array(op, { minLength: 1, maxLength: 25 }),
      (ops) =>
        Effect.gen(function* () {
          const { coupons, template } = yield* setup({ validDays: 1 })
          const coupon = yield* coupons.issue(template, user(1), T0)
          const expiresAt = coupon.expiresAt.getTime()
          const model: Model = { status: "AVAILABLE", usedBy: undefined }
          const live = new Set<number>()
          let elapsed = 0
          let sawExpired = false

          for (const step of ops) {
            elapsed += step.advance
            const now = at(elapsed)
            const expiredNow = now.getTime() >= expiresAt
            if (step.kind === "use") {
              const result = yield* Effect.either(
                coupons.markUsed(coupon.id, user(step.byOwner ? 1 : 2), order(step.order), now),
              )
              const effective = model.status === "AVAILABLE" && expiredNow ? "EXPIRED" : model.status
              const expected = !step.byOwner
                ? "CouponNotFound"
                : effective === "USED"
                  ? "CouponAlreadyUsed"
                  : effective === "EXPIRED"
                    ? "CouponExpired"
                    : "ok"
              expect(Either.isRight(result) ? "ok" : result.left._tag).toBe(expected)
              if (expected === "ok") {
                model.status = "USED"
                model.usedBy = step.order
                live.add(step.order)
              }
            } else {
              const outcome = yield* coupons.restore(coupon.id, order(step.order), now)
              const releases = model.status === "USED" && model.usedBy === step.order
              expect(outcome._tag).toBe(releases ? "Restored" : "Unchanged")
              if (releases) {
                model.status = expiredNow ? "EXPIRED" : "AVAILABLE"
                model.usedBy = undefined
                live.delete(step.order)
              }
              const before = Option.getOrThrow(yield* coupons.findById(coupon.id))
              expect((yield* coupons.restore(coupon.id, order(step.order), now))._tag).toBe("Unchanged")
              expect(Option.getOrThrow(yield* coupons.findById(coupon.id))).toEqual(before)
            }

            const stored = Option.getOrThrow(yield* coupons.findById(coupon.id))
            expect(stored.status).toBe(model.status)
            expect(stored.usedByOrderId).toBe(model.usedBy)
            expect(live.size).toBeLessThanOrEqual(1)
            const seen = couponStatusAt(stored, now)
            if (sawExpired) expect(seen).toBe("EXPIRED")
            if (seen === "EXPIRED") sawExpired = true
          }
        }),
    )
  })
}
