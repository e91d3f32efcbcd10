import { Effect, type Layer } from "effect"
import type { NewCouponTemplate } from "../../src/coupons/CouponTemplate.js"
import { CouponTemplateRepository } from "../../src/coupons/CouponTemplateRepository.js"
import { IssuedCouponRepository } from "../../src/coupons/IssuedCouponRepository.js"
import { OrderId, UserId } from "../../src/shared/Ids.js"

export const DAY_MS = 24 * 60 * 60 * 1000

/** A fixed instant the coupon suites measure from (store clocks are never consulted). */
export const T0 = new Date("2026-03-01T00:00:00.000Z")

export const at = (offsetMillis: number) => new Date(T0.getTime() + offsetMillis)

export const user = (n: number) => UserId.make(n)
export const order = (n: number) => OrderId.make(n)

/** A valid FIXED template open for 30 days from T0, coupons valid 7 days; override any field. */
export const newTemplate = (overrides: Partial<NewCouponTemplate> = {}): NewCouponTemplate => ({
  name: "Welcome 1,000 KRW",
  type: "FIXED",
  value: 1_000,
  issueStartsAt: T0,
  issueEndsAt: at(30 * DAY_MS),
  validDays: 7,
  createdAt: T0,
  ...overrides,
})

export type CouponPortsLayer = () => Layer.Layer<CouponTemplateRepository | IssuedCouponRepository, unknown>

export const setup = (overrides: Partial<NewCouponTemplate> = {}) =>
  Effect.gen(function* () {
    const templates = yield* CouponTemplateRepository
    const coupons = yield* IssuedCouponRepository
    const template = yield* templates.insert(newTemplate(overrides))
    return { templates, coupons, template }
  })
