import { adminRoutes } from "../routes/AdminRoutes.js"
import { catalogRoutes } from "../routes/CatalogRoutes.js"
import { couponRoutes, rankingRoutes } from "../routes/CouponRankingRoutes.js"
import { orderRoutes } from "../routes/OrderRoutes.js"
import { shoppingRoutes } from "../routes/ShoppingRoutes.js"
import { userRoutes } from "../routes/UserRoutes.js"
import type { RouteDeps } from "./AppBuilder.js"

/** Every route of the API contract (API.md), in matching order (`/products/top` before `/products/{id}`). */
export const apiRoutes = (deps: RouteDeps) => [
  ...userRoutes(deps),
  ...catalogRoutes(),
  ...shoppingRoutes(),
  ...couponRoutes(),
  ...orderRoutes(),
  ...rankingRoutes(),
  ...adminRoutes(),
]

type RouteOf<T> = T extends ReadonlyArray<infer X> ? X : never
type RequirementOf<T> = T extends {
  handler: (...args: never) => import("effect").Effect.Effect<unknown, unknown, infer R>
}
  ? R
  : never

/** The services the API's routes need. */
export type ApiServices = RequirementOf<RouteOf<ReturnType<typeof apiRoutes>>>
