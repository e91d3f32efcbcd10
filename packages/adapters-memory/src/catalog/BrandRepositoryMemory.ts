import { Brand, BrandId, BrandNotFound, BrandRepository } from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"
import { CatalogTablesMemory } from "./CatalogTablesMemory.js"

export const BrandRepositoryMemory = Layer.effect(
  BrandRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const { brands } = yield* CatalogTablesMemory
    return BrandRepository.of({
      insert: (input) =>
        db.write((tx) =>
          Effect.sync(() => {
            const brand = new Brand({ ...input, id: BrandId.make(db.nextId("brands")) })
            tx.set(brands, brand.id, brand)
            return brand
          }),
        ),
      findById: (id) => db.read((view) => Option.fromNullable(view.get(brands, id))),
      setActive: (id, active) =>
        db.write((tx) => {
          const brand = tx.get(brands, id)
          if (brand === undefined) return Effect.fail(new BrandNotFound({ brandId: id }))
          const updated = new Brand({ ...brand, active })
          tx.set(brands, id, updated)
          return Effect.succeed(updated)
        }),
    })
  }),
)
