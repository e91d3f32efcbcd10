import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { CouponTemplateRepository } from "../../src/coupons/CouponTemplateRepository.js"
import { CouponTemplateId } from "../../src/shared/Ids.js"
import { Money } from "../../src/shared/Money.js"
import { at, DAY_MS, newTemplate } from "./CouponFixtures.js"

/** The behaviour every CouponTemplateRepository adapter must show. */
export const couponTemplateRepositoryContract = (makeLayer: () => Layer.Layer<CouponTemplateRepository, unknown>) => {
  describe("CouponTemplateRepository contract", () => {
    it.effect("inserts with a fresh id and reads every field back", () =>
      Effect.gen(function* () {
        const repo = yield* CouponTemplateRepository
        const fields = newTemplate({
          name: "Spring 10%",
          type: "RATE",
          value: 10,
          maxDiscount: Money.make(5_000),
          minOrderAmount: Money.make(20_000),
          totalQuantity: 100,
          issueStartsAt: at(DAY_MS),
          issueEndsAt: at(3 * DAY_MS),
          validDays: 14,
          createdAt: at(1_234),
        })
        const stored = yield* repo.insert(fields)
        expect(stored).toMatchObject(fields)
        expect(stored.id).toBeGreaterThan(0)
        const found = yield* repo.findById(stored.id)
        expect(Option.getOrThrow(found)).toEqual(stored)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("keeps optional limits absent when they were not given", () =>
      Effect.gen(function* () {
        const repo = yield* CouponTemplateRepository
        const stored = yield* repo.insert(newTemplate())
        const found = Option.getOrThrow(yield* repo.findById(stored.id))
        expect(found.maxDiscount).toBeUndefined()
        expect(found.minOrderAmount).toBeUndefined()
        expect(found.totalQuantity).toBeUndefined()
        expect(found.type).toBe("FIXED")
        expect(found.value).toBe(1_000)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("gives every insert a distinct id", () =>
      Effect.gen(function* () {
        const repo = yield* CouponTemplateRepository
        const stored = yield* Effect.all(
          Array.from({ length: 20 }, (_, i) => repo.insert(newTemplate({ name: `T${i}` }))),
          { concurrency: "unbounded" },
        )
        expect(new Set(stored.map((t) => t.id)).size).toBe(20)
        for (const t of stored) expect(Option.getOrThrow(yield* repo.findById(t.id)).name).toBe(t.name)
      }).pipe(Effect.provide(makeLayer())),
    )

    it.effect("finds nothing for an unknown id", () =>
      Effect.gen(function* () {
        const repo = yield* CouponTemplateRepository
        expect(Option.isNone(yield* repo.findById(CouponTemplateId.make(987_654)))).toBe(true)
      }).pipe(Effect.provide(makeLayer())),
    )
  })
}
