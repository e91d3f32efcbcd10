export * from "./CouponsMemory.js"
export * from "./CouponTemplateRepositoryMemory.js"
export * from "./IssuedCouponRepositoryMemory.js"
