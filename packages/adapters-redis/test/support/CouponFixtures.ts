import type { NewCouponTemplate } from "@commerce-core/domain"

/** A fixed instant the gate tests issue at (the repository never reads a clock). */
export const T0 = new Date("2026-03-01T00:00:00.000Z")

/** A FIXED template open for 30 days from T0; override any field. */
export const newTemplate = (overrides: Partial<NewCouponTemplate> = {}): NewCouponTemplate => ({
  name: "Flash 1,000 KRW",
  type: "FIXED",
  value: 1_000,
  issueStartsAt: T0,
  issueEndsAt: new Date(T0.getTime() + 30 * 24 * 60 * 60 * 1000),
  validDays: 7,
  createdAt: T0,
  ...overrides,
})
