import { BrandId, BrandRepository } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Option } from "effect"
import { aBrand } from "./CatalogFixtures.js"

/** Behaviour every BrandRepository must show; `makeLayer` gives a fresh, empty store per test. */
export const brandRepositoryContract = (makeLayer: () => Layer.Layer<BrandRepository, unknown>) => {
  const run = <A, E>(self: Effect.Effect<A, E, BrandRepository>) => Effect.provide(self, makeLayer())

  describe("BrandRepository contract", () => {
    it.effect("insert assigns distinct positive ids and findById returns the stored brand", () =>
      run(
        Effect.gen(function* () {
          const brands = yield* BrandRepository
          const a = yield* brands.insert(aBrand({ name: "Alpha", createdAt: new Date(1_000) }))
          const b = yield* brands.insert(aBrand({ name: "Beta", active: false }))
          expect(a.id).toBeGreaterThan(0)
          expect(b.id).not.toBe(a.id)
          const found = yield* brands.findById(a.id)
          expect(Option.getOrThrow(found)).toMatchObject({
            id: a.id,
            name: "Alpha",
            description: "A brand",
            active: true,
            createdAt: new Date(1_000),
          })
          expect(Option.getOrThrow(yield* brands.findById(b.id)).active).toBe(false)
        }),
      ),
    )

    it.effect("findById of an unknown id is none", () =>
      run(
        Effect.gen(function* () {
          const brands = yield* BrandRepository
          expect(Option.isNone(yield* brands.findById(BrandId.make(999_999)))).toBe(true)
        }),
      ),
    )

    it.effect("setActive changes only the flag and persists it", () =>
      run(
        Effect.gen(function* () {
          const brands = yield* BrandRepository
          const brand = yield* brands.insert(aBrand({ name: "Gamma" }))
          const off = yield* brands.setActive(brand.id, false)
          expect(off).toMatchObject({ id: brand.id, name: "Gamma", active: false })
          expect(Option.getOrThrow(yield* brands.findById(brand.id)).active).toBe(false)
          yield* brands.setActive(brand.id, true)
          expect(Option.getOrThrow(yield* brands.findById(brand.id)).active).toBe(true)
        }),
      ),
    )

    it.effect("setActive of an unknown brand fails with BrandNotFound", () =>
      run(
        Effect.gen(function* () {
          const brands = yield* BrandRepository
          const error = yield* Effect.flip(brands.setActive(BrandId.make(424_242), false))
          expect(error._tag).toBe("BrandNotFound")
          expect(error.code).toBe("BRAND_NOT_FOUND")
        }),
      ),
    )
  })
}
