import { Context, Effect, Layer } from "effect"
import { ProductNotFound } from "../catalog/CatalogErrors.js"
import { ProductRepository } from "../catalog/ProductRepository.js"
import { EventOutbox } from "../events/EventOutbox.js"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import { IdGenerator } from "../shared/IdGenerator.js"
import type { BrandId, ProductId, UserId } from "../shared/Ids.js"
import type { Money } from "../shared/Money.js"
import { type Page, type PageRequest } from "../shared/Pagination.js"
import { Transactor } from "../shared/Transactor.js"
import { LikeRepository } from "./LikeRepository.js"
/** One entry of "products I like". */
export interface LikedProduct {
  readonly id: ProductId
  readonly name: string
  readonly price: Money
  readonly brandId: BrandId
}
/** The state after a like or unlike, and whether this call changed it. */
export interface LikeResult {
  readonly productId: ProductId
  readonly liked: boolean
  readonly changed: boolean
  readonly likeCount: number
}
declare const LikeService_base: Context.TagClass<
  LikeService,
  "@commerce-core/domain/LikeService",
  {
    /** Idempotent: liking again succeeds, changes nothing and raises no event. */
    readonly like: (
      userId: UserId,
      productId: ProductId,
    ) => Effect.Effect<LikeResult, ProductNotFound | PersistenceUnavailable>
    /** Idempotent: unliking what is not liked succeeds, changes nothing and raises no event. */
    readonly unlike: (
      userId: UserId,
      productId: ProductId,
    ) => Effect.Effect<LikeResult, ProductNotFound | PersistenceUnavailable>
    /** Products the user likes, most recently liked first; products of any status are included. */
    readonly likedProducts: (
      userId: UserId,
      page: PageRequest,
    ) => Effect.Effect<Page<LikedProduct>, PersistenceUnavailable>
  }
>
export declare class LikeService extends LikeService_base {}
export declare const LikeServiceLive: Layer.Layer<
  LikeService,
  never,
  EventOutbox | IdGenerator | LikeRepository | ProductRepository | Transactor
>
//# sourceMappingURL=LikeService.d.ts.map
