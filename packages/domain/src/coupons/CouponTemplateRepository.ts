import { Context, type Effect, type Option } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { CouponTemplateId } from "../shared/Ids.js"
import type { CouponTemplate, NewCouponTemplate } from "./CouponTemplate.js"

export class CouponTemplateRepository extends Context.Tag("@commerce-core/domain/CouponTemplateRepository")<
  CouponTemplateRepository,
  {
    /** Stores a validated template; the store assigns the id. */
    readonly insert: (template: NewCouponTemplate) => Effect.Effect<CouponTemplate, PersistenceUnavailable>
    readonly findById: (id: CouponTemplateId) => Effect.Effect<Option.Option<CouponTemplate>, PersistenceUnavailable>
  }
>() {}
