import {
  CouponAlreadyIssued,
  CouponNotFound,
  CouponRestoreOutcome,
  CouponSoldOut,
  type CouponTemplateId,
  couponExpiresAt,
  couponStatusAt,
  IssuedCoupon,
  IssuedCouponId,
  IssuedCouponRepository,
  releaseCoupon,
  type UserId,
  useCoupon,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

const holderKey = (templateId: CouponTemplateId, userId: UserId) => `${templateId}:${userId}`

export const IssuedCouponRepositoryMemory = Layer.effect(
  IssuedCouponRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const coupons = db.table<IssuedCouponId, IssuedCoupon>("issued_coupons")
    // The unique key (template_id, user_id) of SQL.
    const holders = db.table<string, IssuedCouponId>("issued_coupon_holders")
    // The template's issued counter of SQL (`issued < total_quantity`).
    const issuedCounts = db.table<CouponTemplateId, number>("coupon_issued_counts")

    return IssuedCouponRepository.of({
      issue: (template, userId, now) =>
        db.write((tx) =>
          Effect.gen(function* () {
            const key = holderKey(template.id, userId)
            if (tx.get(holders, key) !== undefined) {
              return yield* new CouponAlreadyIssued({ templateId: template.id, userId })
            }
            const count = tx.get(issuedCounts, template.id) ?? 0
            if (template.totalQuantity !== undefined && count >= template.totalQuantity) {
              return yield* new CouponSoldOut({ templateId: template.id })
            }
            const coupon = new IssuedCoupon({
              id: IssuedCouponId.make(db.nextId("issued_coupon")),
              templateId: template.id,
              userId,
              status: "AVAILABLE",
              issuedAt: now,
              expiresAt: couponExpiresAt(template, now),
            })
            tx.set(issuedCounts, template.id, count + 1)
            tx.set(holders, key, coupon.id)
            tx.set(coupons, coupon.id, coupon)
            return coupon
          }),
        ),

      findById: (id) => db.read((view) => Option.fromNullable(view.get(coupons, id))),

      listByUser: (userId, filter) =>
        db.read((view) =>
          view
            .values(coupons)
            .filter((c) => c.userId === userId)
            .filter((c) => filter === undefined || couponStatusAt(c, filter.now) === filter.status)
            .sort((a, b) => b.id - a.id),
        ),

      markUsed: (id, userId, orderId, now) =>
        db.write((tx) =>
          Effect.gen(function* () {
            const coupon = tx.get(coupons, id)
            if (coupon === undefined) return yield* new CouponNotFound({ couponId: id })
            const used = yield* useCoupon(coupon, userId, orderId, now)
            tx.set(coupons, id, used)
            return used
          }),
        ),

      restore: (id, orderId, now) =>
        db.write((tx) =>
          Effect.sync(() => {
            const coupon = tx.get(coupons, id)
            if (coupon === undefined) return CouponRestoreOutcome.Unchanged()
            const outcome = releaseCoupon(coupon, orderId, now)
            if (outcome._tag === "Restored") tx.set(coupons, id, outcome.coupon)
            return outcome
          }),
        ),
    })
  }),
)
