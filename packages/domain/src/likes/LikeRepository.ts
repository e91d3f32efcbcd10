import { Context, type Effect } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { ProductId, UserId } from "../shared/Ids.js"
import type { Page, PageRequest } from "../shared/Pagination.js"

/**
 * Who likes what: at most one like per (user, product) (a primary key in SQL). `like` and
 * `unlike` are single atomic statements that report whether they changed anything
 * (SQL: `INSERT IGNORE` / `DELETE`, then the affected row count).
 */
export class LikeRepository extends Context.Tag("@commerce-core/domain/LikeRepository")<
  LikeRepository,
  {
    /** True when the like is new, false when the user already liked the product. */
    readonly like: (
      userId: UserId,
      productId: ProductId,
      likedAt: Date,
    ) => Effect.Effect<boolean, PersistenceUnavailable>
    /** True when a like was removed, false when there was none. */
    readonly unlike: (userId: UserId, productId: ProductId) => Effect.Effect<boolean, PersistenceUnavailable>
    readonly isLiked: (userId: UserId, productId: ProductId) => Effect.Effect<boolean, PersistenceUnavailable>
    /** The products the user likes, most recently liked first (ties: the later like first). */
    readonly likedProductIds: (
      userId: UserId,
      page: PageRequest,
    ) => Effect.Effect<Page<ProductId>, PersistenceUnavailable>
  }
>() {}
