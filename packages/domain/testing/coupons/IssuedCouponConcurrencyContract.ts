import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option } from "effect"
import type { PersistenceUnavailable } from "../../src/shared/DomainError.js"
import { type CouponPortsLayer, order, setup, T0, user } from "./CouponFixtures.js"

const RACE_TIMEOUT = 60_000

/** Spreads the repeats among the first attempts, so a user's second request races its first. */
const interleave = <A>(items: ReadonlyArray<A>): Array<A> =>
  items
    .map((item, i) => ({ item, key: (i * 7_919) % items.length }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item)

/** Races hundreds of fibers on one port call, then checks the invariant exactly. */
export const issuedCouponConcurrencyContract = (makeLayer: CouponPortsLayer) => {
  describe("under concurrency", () => {
    it.effect(
      "2,000 users (500 of them twice) racing for 100 coupons: exactly 100 issued, nobody twice",
      () =>
        Effect.gen(function* () {
          const { coupons, template } = yield* setup({ totalQuantity: 100 })
          const users = Array.from({ length: 2_000 }, (_, i) => user(i + 1))
          const attempts = interleave([...users, ...users.slice(0, 500)])
          const results = yield* Effect.all(
            attempts.map((u) => Effect.either(coupons.issue(template, u, T0))),
            { concurrency: "unbounded" },
          )

          const winners = results.filter(Either.isRight).map((r) => r.right)
          expect(winners).toHaveLength(100)
          expect(new Set(winners.map((c) => c.userId)).size).toBe(100)
          expect(new Set(winners.map((c) => c.id)).size).toBe(100)
          const winnerIds = new Set<number>(winners.map((c) => c.userId))
          results.forEach((result, i) => {
            if (Either.isRight(result)) return
            const expected = winnerIds.has(attempts[i]!) ? "CouponAlreadyIssued" : "CouponSoldOut"
            expect(result.left._tag).toBe(expected)
          })

          const held = yield* Effect.forEach(users, (u) => coupons.listByUser(u), { concurrency: 20 })
          expect(held.reduce((n, list) => n + list.length, 0)).toBe(100)
          expect(held.every((list) => list.length <= 1)).toBe(true)
        }).pipe(Effect.provide(makeLayer())),
      RACE_TIMEOUT,
    )

    it.effect(
      "one coupon used by 50 orders at once: exactly one succeeds, the rest hear already-used",
      () =>
        Effect.gen(function* () {
          const { coupons, template } = yield* setup()
          const coupon = yield* coupons.issue(template, user(1), T0)
          const orders = Array.from({ length: 50 }, (_, i) => order(i + 1))
          const results = yield* Effect.all(
            orders.map((o) => Effect.either(coupons.markUsed(coupon.id, user(1), o, T0))),
            { concurrency: "unbounded" },
          )
          const wins = results.filter(Either.isRight).map((r) => r.right)
          expect(wins).toHaveLength(1)
          for (const r of results) if (Either.isLeft(r)) expect(r.left._tag).toBe("CouponAlreadyUsed")
          const stored = Option.getOrThrow(yield* coupons.findById(coupon.id))
          expect(stored.status).toBe("USED")
          expect(stored.usedByOrderId).toBe(wins[0]!.usedByOrderId)
        }).pipe(Effect.provide(makeLayer())),
      RACE_TIMEOUT,
    )

    it.effect(
      "50 concurrent restores by the using order release the coupon exactly once",
      () =>
        Effect.gen(function* () {
          const { coupons, template } = yield* setup()
          const coupon = yield* coupons.issue(template, user(1), T0)
          yield* coupons.markUsed(coupon.id, user(1), order(1), T0)
          const outcomes = yield* Effect.all(
            Array.from({ length: 50 }, () => coupons.restore(coupon.id, order(1), T0)),
            { concurrency: "unbounded" },
          )
          expect(outcomes.filter((o) => o._tag === "Restored")).toHaveLength(1)
          expect(Option.getOrThrow(yield* coupons.findById(coupon.id)).status).toBe("AVAILABLE")
        }).pipe(Effect.provide(makeLayer())),
      RACE_TIMEOUT,
    )

    it.effect(
      "uses and restores by many orders interleaved: the coupon is never held by two orders",
      () =>
        Effect.gen(function* () {
          const { coupons, template } = yield* setup()
          const coupon = yield* coupons.issue(template, user(1), T0)
          // Each order uses then immediately releases; at most one can hold it at any instant.
          type Attempt = { readonly used: boolean; readonly restore: "Restored" | "Unchanged" | "none" }
          const results: ReadonlyArray<Attempt> = yield* Effect.all(
            Array.from({ length: 100 }, (_, i) =>
              Effect.either(coupons.markUsed(coupon.id, user(1), order(i + 1), T0)).pipe(
                Effect.flatMap(
                  (used): Effect.Effect<Attempt, PersistenceUnavailable> =>
                    Either.isRight(used)
                      ? Effect.map(coupons.restore(coupon.id, order(i + 1), T0), (o) => ({
                          used: true,
                          restore: o._tag,
                        }))
                      : Effect.succeed({ used: false, restore: "none" as const }),
                ),
              ),
            ),
            { concurrency: "unbounded" },
          )
          const used = results.filter((r) => r.used)
          expect(used.length).toBeGreaterThanOrEqual(1)
          // Every successful use was released by its own order, exactly once.
          expect(used.every((r) => r.restore === "Restored")).toBe(true)
          expect(Option.getOrThrow(yield* coupons.findById(coupon.id)).status).toBe("AVAILABLE")
        }).pipe(Effect.provide(makeLayer())),
      RACE_TIMEOUT,
    )
  })
}
