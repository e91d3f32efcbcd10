import {
  CouponService,
  CouponServiceLive,
  CouponTemplateId,
  CouponTemplateRepository,
  Money,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer, TestClock } from "effect"
import { DAY, eventsOf, input, makeLayer, OPENS, openTemplate, user } from "./CouponServiceSetup.js"

describe("CouponService templates", () => {
  it.effect("creates a valid template stamped with the clock and reads it back", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(1_000)
      const service = yield* CouponService
      const template = yield* service.createTemplate(
        input({ type: "RATE", value: 10, maxDiscount: 5_000, minOrderAmount: 10_000, totalQuantity: 50 }),
      )
      expect(template).toMatchObject({ type: "RATE", value: 10, maxDiscount: 5_000, totalQuantity: 50 })
      expect(template.createdAt).toEqual(new Date(1_000))
      expect(yield* service.getTemplate(template.id)).toEqual(template)
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("reads a stored template once (templates never change), and a missing one every time", () => {
    let reads = 0
    // the service over a repository that counts its reads
    const counting = Layer.effect(
      CouponTemplateRepository,
      Effect.map(CouponTemplateRepository, (store) =>
        CouponTemplateRepository.of({
          ...store,
          findById: (id) =>
            Effect.zipRight(
              Effect.sync(() => reads++),
              store.findById(id),
            ),
        }),
      ),
    )
    const layer = Layer.fresh(CouponServiceLive).pipe(Layer.provide(counting), Layer.provideMerge(makeLayer()))
    return Effect.gen(function* () {
      const { service, template } = yield* openTemplate({ totalQuantity: 10 })
      const before = reads
      for (let u = 1; u <= 5; u++) yield* service.issue(template.id, user(u))
      yield* service.getTemplate(template.id)
      expect(reads - before).toBe(1)
      const missing = CouponTemplateId.make(template.id + 1)
      yield* Effect.flip(service.getTemplate(missing))
      yield* Effect.flip(service.getTemplate(missing))
      expect(reads - before).toBe(3)
    }).pipe(Effect.provide(layer))
  })

  it.effect("rejects an invalid template with the field, storing nothing", () =>
    Effect.gen(function* () {
      const service = yield* CouponService
      const error = yield* Effect.flip(service.createTemplate(input({ type: "FIXED", maxDiscount: 100 })))
      expect(error._tag).toBe("InvalidCouponTemplate")
      if (error._tag === "InvalidCouponTemplate") expect(error.field).toBe("maxDiscount")
      // The refused call never reached the store: the first insert still gets the first id.
      const next = yield* service.createTemplate(input())
      expect(next.id).toBe(1)
      expect((yield* Effect.flip(service.getTemplate(CouponTemplateId.make(2))))._tag).toBe("CouponTemplateNotFound")
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("reports an unknown template as COUPON_NOT_FOUND", () =>
    Effect.gen(function* () {
      const service = yield* CouponService
      const error = yield* Effect.flip(service.getTemplate(CouponTemplateId.make(77)))
      expect(error.code).toBe("COUPON_NOT_FOUND")
      expect(error.kind).toBe("not-found")
      const issue = yield* Effect.flip(service.issue(CouponTemplateId.make(77), user(1)))
      expect(issue.code).toBe("COUPON_NOT_FOUND")
    }).pipe(Effect.provide(makeLayer())),
  )
})

describe("CouponService.issue", () => {
  it.effect("issues only inside [issueStartsAt, issueEndsAt)", () =>
    Effect.gen(function* () {
      const service = yield* CouponService
      const template = yield* service.createTemplate(input())
      yield* TestClock.setTime(OPENS - 1)
      const early = yield* Effect.flip(service.issue(template.id, user(1)))
      expect(early._tag === "CouponNotIssuable" && early.reason).toBe("NOT_STARTED")
      expect(early.code).toBe("COUPON_NOT_ISSUABLE")
      yield* TestClock.setTime(OPENS)
      yield* service.issue(template.id, user(1))
      yield* TestClock.setTime(OPENS + 5 * DAY - 1)
      yield* service.issue(template.id, user(2))
      yield* TestClock.setTime(OPENS + 5 * DAY)
      const late = yield* Effect.flip(service.issue(template.id, user(3)))
      expect(late._tag === "CouponNotIssuable" && late.reason).toBe("ENDED")
      expect(yield* eventsOf("CouponIssued")).toHaveLength(2)
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("returns the API view and appends one CouponIssued", () =>
    Effect.gen(function* () {
      const { service, template } = yield* openTemplate({ name: "Ten", type: "RATE", value: 10, maxDiscount: 2_000 })
      yield* TestClock.adjust(5)
      const coupon = yield* service.issue(template.id, user(4))
      expect(coupon).toEqual({
        id: coupon.id,
        couponId: template.id,
        name: "Ten",
        type: "RATE",
        value: 10,
        maxDiscount: Money.make(2_000),
        minOrderAmount: null,
        status: "AVAILABLE",
        issuedAt: new Date(OPENS + 5),
        expiresAt: new Date(OPENS + 5 + 7 * DAY),
      })
      const events = yield* eventsOf("CouponIssued")
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({
        couponId: coupon.id,
        templateId: template.id,
        userId: 4,
        aggregateKey: `coupon:${coupon.id}`,
        occurredAt: new Date(OPENS + 5),
      })
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("a second request by the same user fails and appends nothing", () =>
    Effect.gen(function* () {
      const { service, template } = yield* openTemplate()
      yield* service.issue(template.id, user(1))
      const again = yield* Effect.flip(service.issue(template.id, user(1)))
      expect(again.code).toBe("COUPON_ALREADY_ISSUED")
      expect(yield* eventsOf("CouponIssued")).toHaveLength(1)
      expect(yield* service.listMine(user(1))).toHaveLength(1)
    }).pipe(Effect.provide(makeLayer())),
  )

  it.effect("300 users racing for 30 coupons: 30 issued, 30 events, the rest sold out", () =>
    Effect.gen(function* () {
      const { service, template } = yield* openTemplate({ totalQuantity: 30 })
      const results = yield* Effect.all(
        Array.from({ length: 300 }, (_, i) => Effect.either(service.issue(template.id, user(i + 1)))),
        { concurrency: "unbounded" },
      )
      const issued = results.filter(Either.isRight)
      expect(issued).toHaveLength(30)
      for (const r of results) if (Either.isLeft(r)) expect(r.left.code).toBe("COUPON_SOLD_OUT")
      const events = yield* eventsOf("CouponIssued")
      expect(events).toHaveLength(30)
      expect(new Set(events.map((e) => e.couponId))).toEqual(new Set(issued.map((r) => r.right.id)))
      expect(new Set(events.map((e) => e.userId)).size).toBe(30)
    }).pipe(Effect.provide(makeLayer())),
  )
})

describe("CouponService.listMine", () => {
  it.effect("lists the user's coupons newest first with the status as seen now", () =>
    Effect.gen(function* () {
      const { service, template } = yield* openTemplate({ validDays: 1, minOrderAmount: 5_000 })
      const longer = yield* service.createTemplate(input({ name: "Long", validDays: 30 }))
      const short = yield* service.issue(template.id, user(1))
      const long = yield* service.issue(longer.id, user(1))
      yield* service.issue(template.id, user(2))

      const mine = yield* service.listMine(user(1))
      expect(mine.map((c) => c.id)).toEqual([long.id, short.id])
      expect(mine[1]).toMatchObject({ name: "Welcome", minOrderAmount: 5_000, maxDiscount: null })
      expect((yield* service.listMine(user(1), "AVAILABLE")).map((c) => c.id)).toEqual([long.id, short.id])

      yield* TestClock.adjust(DAY)
      expect((yield* service.listMine(user(1), "AVAILABLE")).map((c) => c.id)).toEqual([long.id])
      const expired = yield* service.listMine(user(1), "EXPIRED")
      expect(expired.map((c) => [c.id, c.status])).toEqual([[short.id, "EXPIRED"]])
      expect(yield* service.listMine(user(1), "USED")).toEqual([])
      expect(yield* service.listMine(user(3))).toEqual([])
    }).pipe(Effect.provide(makeLayer())),
  )
})
