import {
  type CouponIssueError,
  CouponTemplateRepository,
  type IssuedCoupon,
  IssuedCouponRepository,
  type PersistenceUnavailable,
  UserId,
} from "@commerce-core/domain"
import { expect, it } from "@effect/vitest"
import { Deferred, Effect, Either, Fiber, FiberId, Random } from "effect"
import { newTemplate, T0 } from "./support/CouponFixtures.js"
import { gatedMemoryWorld } from "./support/CouponWorld.js"
import { describeRedis, useTestRedis } from "./support/RedisTestSupport.js"
import { loseRedisData } from "./support/Sabotage.js"

const COUPONS = 100
const ATTEMPTS = 2_000
// Users 1..1500: the first 500 of them try twice.
const userOf = (attempt: number) => UserId.make((attempt % 1_500) + 1)

type Outcome = Either.Either<IssuedCoupon, CouponIssueError | PersistenceUnavailable>

/** Exactly COUPONS winners, all different; every loser refused as sold out or already issued. */
const checkOutcomes = (outcomes: ReadonlyArray<Outcome>) => {
  const issued = outcomes.filter(Either.isRight).map((o) => o.right)
  const refused = outcomes.filter(Either.isLeft).map((o) => o.left._tag)
  expect(issued).toHaveLength(COUPONS)
  expect(new Set(issued.map((c) => c.userId)).size).toBe(COUPONS)
  expect(refused.filter((tag) => tag !== "CouponSoldOut" && tag !== "CouponAlreadyIssued")).toEqual([])
  return { issued, refused }
}

/** Every attempt waits a random 0..spreadMillis first, so the race spans the sabotage. */
const race = (spreadMillis: number) =>
  Effect.gen(function* () {
    const templates = yield* CouponTemplateRepository
    const coupons = yield* IssuedCouponRepository
    const template = yield* templates.insert(newTemplate({ totalQuantity: COUPONS }))
    const outcomes = yield* Effect.all(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        Effect.zipRight(
          Effect.flatMap(Random.nextIntBetween(0, spreadMillis + 1), (ms) => Effect.sleep(ms)),
          Effect.either(coupons.issue(template, userOf(i), T0)),
        ),
      ),
      { concurrency: "unbounded" },
    )
    return { template, coupons, outcomes }
  })

describeRedis("Coupon issue gate under a flash crowd", () => {
  const redis = useTestRedis()

  for (const ledger of [false, true]) {
    const mode = ledger ? "with a ledger" : "relearning"

    it.live(
      `${mode}: ${ATTEMPTS} attempts for ${COUPONS} coupons: exactly ${COUPONS}, nobody twice, only winners reach the store`,
      () => {
        const world = gatedMemoryWorld(redis.fresh(), { ledger, storeDelayMillis: 1 })
        return Effect.gen(function* () {
          const { template, coupons, outcomes } = yield* race(20)
          const { issued, refused } = checkOutcomes(outcomes)
          expect(new Set(refused)).toEqual(new Set(["CouponSoldOut", "CouponAlreadyIssued"]))
          expect(world.probe.calls).toBe(COUPONS)
          expect(world.probe.holders.get(template.id)?.size).toBe(COUPONS)
          for (const coupon of issued) {
            const mine = yield* coupons.listByUser(coupon.userId)
            expect(mine.filter((c) => c.templateId === template.id)).toHaveLength(1)
          }
          const late = yield* Effect.flip(coupons.issue(template, UserId.make(99_999), T0))
          expect(late._tag).toBe("CouponSoldOut")
          expect(world.probe.calls).toBe(COUPONS)
        }).pipe(Effect.provide(world.layer))
      },
    )

    it.live(
      `${mode}: Redis loses its data in the middle of the race: never more than ${COUPONS}, and the gate heals`,
      () => {
        const prefix = `${redis.runPrefix}wipe-${mode}:`
        const wiped = Deferred.unsafeMake<void>(FiberId.none)
        const world = gatedMemoryWorld(redis.withPrefix(prefix), {
          ledger,
          storeDelayMillis: 20,
          // Half the seats are in the store's hands when Redis forgets everything.
          onCall: (call) =>
            call === COUPONS / 2
              ? Effect.zipRight(loseRedisData(redis.raw(), prefix), Deferred.succeed(wiped, undefined))
              : Effect.void,
        })
        return Effect.gen(function* () {
          const templates = yield* CouponTemplateRepository
          const coupons = yield* IssuedCouponRepository
          const template = yield* templates.insert(newTemplate({ totalQuantity: COUPONS }))
          const attempt = (i: number) => Effect.either(coupons.issue(template, userOf(i), T0))
          // The second wave (500 newcomers and 500 users of the first wave again) hits the
          // emptied gate while the first wave's winners are still being written.
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
          // A gate that lost its holders may answer "sold out" to someone who holds one already.
          checkOutcomes([...first, ...second])
          expect(world.probe.holders.get(template.id)?.size).toBe(COUPONS)
          if (!ledger) expect(world.probe.calls).toBeGreaterThan(COUPONS)
          // Still a gate: relearning from the store's refusals costs at most one more round of seats.
          expect(world.probe.calls).toBeLessThanOrEqual(2 * COUPONS)
          // Healed: once the store has refused someone, newcomers stop at the gate.
          yield* Effect.flip(coupons.issue(template, UserId.make(99_998), T0))
          const calls = world.probe.calls
          const late = yield* Effect.flip(coupons.issue(template, UserId.make(99_999), T0))
          expect(late._tag).toBe("CouponSoldOut")
          expect(world.probe.calls).toBe(calls)
        }).pipe(Effect.provide(world.layer))
      },
    )
  }

  it.live("with a ledger, a lost gate is reloaded from the store before it admits anyone", () => {
    const prefix = `${redis.runPrefix}reload:`
    const world = gatedMemoryWorld(redis.withPrefix(prefix), { ledger: true })
    return Effect.gen(function* () {
      const templates = yield* CouponTemplateRepository
      const coupons = yield* IssuedCouponRepository
      const template = yield* templates.insert(newTemplate({ totalQuantity: 3 }))
      for (const n of [1, 2, 3]) yield* coupons.issue(template, UserId.make(n), T0)
      yield* loseRedisData(redis.raw(), prefix)
      const calls = world.probe.calls
      // Both refusals come from the reloaded gate: the store is not asked again.
      expect((yield* Effect.flip(coupons.issue(template, UserId.make(2), T0)))._tag).toBe("CouponAlreadyIssued")
      expect((yield* Effect.flip(coupons.issue(template, UserId.make(4), T0)))._tag).toBe("CouponSoldOut")
      expect(world.probe.calls).toBe(calls)
    }).pipe(Effect.provide(world.layer))
  })

  it.live("a reservation is given back when the store fails, so the seat is not lost", () => {
    const world = gatedMemoryWorld(redis.fresh(), { ledger: false, failCalls: [1] })
    return Effect.gen(function* () {
      const templates = yield* CouponTemplateRepository
      const coupons = yield* IssuedCouponRepository
      const template = yield* templates.insert(newTemplate({ totalQuantity: 1 }))
      expect((yield* Effect.flip(coupons.issue(template, UserId.make(1), T0)))._tag).toBe("PersistenceUnavailable")
      expect((yield* coupons.issue(template, UserId.make(2), T0)).userId).toBe(2)
    }).pipe(Effect.provide(world.layer))
  })

  it.live("an interrupted attempt (a client gone mid-request) gives its seat back", () => {
    const world = gatedMemoryWorld(redis.fresh(), { ledger: false, storeDelayMillis: 300, failCalls: [1] })
    return Effect.gen(function* () {
      const templates = yield* CouponTemplateRepository
      const coupons = yield* IssuedCouponRepository
      const template = yield* templates.insert(newTemplate({ totalQuantity: 1 }))
      const first = yield* Effect.fork(coupons.issue(template, UserId.make(1), T0))
      yield* Effect.sleep(50)
      // Seat taken while the first attempt is in flight.
      expect((yield* Effect.flip(coupons.issue(template, UserId.make(3), T0)))._tag).toBe("CouponSoldOut")
      yield* Fiber.interrupt(first)
      expect((yield* coupons.issue(template, UserId.make(2), T0)).userId).toBe(2)
      expect(world.probe.calls).toBe(2)
    }).pipe(Effect.provide(world.layer))
  })
})
