import { CouponTemplate, CouponTemplateId, CouponTemplateRepository } from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

export const CouponTemplateRepositoryMemory = Layer.effect(
  CouponTemplateRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const templates = db.table<CouponTemplateId, CouponTemplate>("coupon_templates")
    return CouponTemplateRepository.of({
      insert: (fields) =>
        db.write((tx) =>
          Effect.sync(() => {
            const template = new CouponTemplate({ ...fields, id: CouponTemplateId.make(db.nextId("coupon_template")) })
            tx.set(templates, template.id, template)
            return template
          }),
        ),
      findById: (id) => db.read((view) => Option.fromNullable(view.get(templates, id))),
    })
  }),
)
