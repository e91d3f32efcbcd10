import { Layer } from "effect"
import { CouponTemplateRepositoryMemory } from "./CouponTemplateRepositoryMemory.js"
import { IssuedCouponRepositoryMemory } from "./IssuedCouponRepositoryMemory.js"

/** Both coupon ports on one MemoryDatabase. */
export const CouponsMemory = Layer.mergeAll(CouponTemplateRepositoryMemory, IssuedCouponRepositoryMemory)
