export type { CouponPortsLayer } from "./CouponFixtures.js"
export * from "./CouponTemplateRepositoryContract.js"
export * from "./IssuedCouponRepositoryContract.js"
