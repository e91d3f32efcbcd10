import { CouponTemplateRepository, IssuedCouponRepository, UserId } from "@commerce-core/domain"
import { expect, it } from "@effect/vitest"
import { Deferred, Effect, Either, FiberId } from "effect"
import { newTemplate, T0 } from "./support/CouponFixtures.js"
import { describeMysql, useMysqlCouponStore } from "./support/MysqlCouponStore.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"
import { loseRedisData } from "./support/Sabotage.js"

const COUPONS = 100
const ATTEMPTS = 2_000
const userOf = (attempt: number) => UserId.make((attempt % 1_500) + 1)

describeRedis("Coupon issue gate over MariaDB", () => {
  describeMysql("IssuedCouponRepositoryMysql behind the gate", () => {
    const redis = useTestRedis()
    const mysql = useMysqlCouponStore()

    it.live(
      `${ATTEMPTS} attempts for ${COUPONS} coupons: exactly ${COUPONS} rows, nobody twice, only winners reach MySQL`,
      () => {
        const world = mysql.world(redis.fresh())
        return Effect.gen(function* () {
          const template = yield* (yield* CouponTemplateRepository).insert(newTemplate({ totalQuantity: COUPONS }))
          const coupons = yield* IssuedCouponRepository
          const outcomes = yield* Effect.all(
            Array.from({ length: ATTEMPTS }, (_, i) => Effect.either(coupons.issue(template, userOf(i), T0))),
            { concurrency: "unbounded" },
          )
          const issued = outcomes.filter(Either.isRight).map((o) => o.right)
          expect(issued).toHaveLength(COUPONS)
          expect(new Set(issued.map((c) => c.userId)).size).toBe(COUPONS)
          expect(
            outcomes
              .filter(Either.isLeft)
              .filter((o) => !["CouponSoldOut", "CouponAlreadyIssued"].includes(o.left._tag)),
          ).toEqual([])
          expect(yield* mysql.truth(template.id)).toEqual({ coupons: COUPONS, holders: COUPONS, counted: COUPONS })
          expect(world.probe.calls).toBe(COUPONS)
        }).pipe(Effect.provide(world.layer))
      },
    )

    it.live(`Redis loses its data mid-race: MySQL still holds exactly ${COUPONS}, nobody twice`, () => {
      const prefix = `${redis.runPrefix}mysql-wipe:`
      const wiped = Deferred.unsafeMake<void>(FiberId.none)
      const world = mysql.world(redis.withPrefix(prefix), {
        onCall: (call) =>
          call === COUPONS / 2
            ? Effect.zipRight(loseRedisData(redis.raw(), prefix), Deferred.succeed(wiped, undefined))
            : Effect.void,
      })
      return Effect.gen(function* () {
        const template = yield* (yield* CouponTemplateRepository).insert(newTemplate({ totalQuantity: COUPONS }))
        const coupons = yield* IssuedCouponRepository
        const attempt = (i: number) => Effect.either(coupons.issue(template, userOf(i), T0))
        const [first, second] = yield* Effect.all(
          [
            Effect.all(
              Array.from({ length: ATTEMPTS / 2 }, (_, i) => attempt(i)),
              { concurrency: "unbounded" },
            ),
            Effect.zipRight(
              Deferred.await(wiped),
              Effect.all(
                Array.from({ length: ATTEMPTS / 2 }, (_, i) => attempt(i + ATTEMPTS / 2)),
                { concurrency: "unbounded" },
              ),
            ),
          ],
          { concurrency: 2 },
        )
        const issued = [...first, ...second].filter(Either.isRight).map((o) => o.right)
        expect(issued).toHaveLength(COUPONS)
        expect(new Set(issued.map((c) => c.userId)).size).toBe(COUPONS)
        expect(yield* mysql.truth(template.id)).toEqual({ coupons: COUPONS, holders: COUPONS, counted: COUPONS })
        expect(world.probe.calls).toBeLessThanOrEqual(2 * COUPONS)
        const late = yield* Effect.flip(coupons.issue(template, UserId.make(99_999), T0))
        expect(late._tag).toBe("CouponSoldOut")
      }).pipe(Effect.provide(world.layer))
    })
  })
})
