import { Context, type Effect, type Option } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { BrandId } from "../shared/Ids.js"
import type { Brand, NewBrand } from "./Brand.js"
import type { BrandNotFound } from "./CatalogErrors.js"

export class BrandRepository extends Context.Tag("@commerce-core/domain/BrandRepository")<
  BrandRepository,
  {
    /** Stores a new brand and returns it with the id the store assigned. */
    readonly insert: (brand: NewBrand) => Effect.Effect<Brand, PersistenceUnavailable>
    readonly findById: (id: BrandId) => Effect.Effect<Option.Option<Brand>, PersistenceUnavailable>
    /** Sets the active flag; returns the brand after the change. */
    readonly setActive: (id: BrandId, active: boolean) => Effect.Effect<Brand, BrandNotFound | PersistenceUnavailable>
  }
>() {}
