import { Clock, Context, Effect, Layer, Option } from "effect"
import { ProductNotFound } from "../catalog/CatalogErrors.js"
import { ProductRepository } from "../catalog/ProductRepository.js"
import { type DomainEvent, newEvent } from "../events/DomainEvent.js"
import { aggregateKey } from "../events/EventFields.js"
import { EventOutbox } from "../events/EventOutbox.js"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import { IdGenerator } from "../shared/IdGenerator.js"
import type { BrandId, ProductId, UserId } from "../shared/Ids.js"
import type { Money } from "../shared/Money.js"
import { makePage, type Page, type PageRequest } from "../shared/Pagination.js"
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

export class LikeService extends Context.Tag("@commerce-core/domain/LikeService")<
  LikeService,
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
>() {}

export const LikeServiceLive = Layer.effect(
  LikeService,
  Effect.gen(function* () {
    const likes = yield* LikeRepository
    const products = yield* ProductRepository
    const outbox = yield* EventOutbox
    const ids = yield* IdGenerator
    const tx = yield* Transactor

    const productOrFail = (productId: ProductId) =>
      Effect.flatMap(
        products.findById(productId),
        Option.match({ onNone: () => new ProductNotFound({ productId }), onSome: Effect.succeed }),
      )

    // The like row, the product's likeCount and the event change together or not at all.
    const toggle = (userId: UserId, productId: ProductId, liked: boolean) =>
      tx.withTransaction(
        Effect.gen(function* () {
          const product = yield* productOrFail(productId)
          const changed = liked
            ? yield* likes.like(userId, productId, new Date(yield* Clock.currentTimeMillis))
            : yield* likes.unlike(userId, productId)
          if (!changed) return { productId, liked, changed, likeCount: product.likeCount }
          const likeCount = yield* liked
            ? products.incrementLikeCount(productId)
            : products.decrementLikeCount(productId)
          const fields = { productId, userId, aggregateKey: aggregateKey.product(productId) }
          const event: Effect.Effect<DomainEvent, never, IdGenerator> = liked
            ? newEvent("ProductLiked", fields)
            : newEvent("ProductUnliked", fields)
          yield* outbox.append([yield* Effect.provideService(event, IdGenerator, ids)])
          return { productId, liked, changed, likeCount }
        }),
      )

    return LikeService.of({
      like: (userId, productId) => toggle(userId, productId, true),
      unlike: (userId, productId) => toggle(userId, productId, false),
      likedProducts: (userId, page) =>
        Effect.gen(function* () {
          const liked = yield* likes.likedProductIds(userId, page)
          const found = new Map((yield* products.findByIds(liked.items)).map((p) => [p.id, p] as const))
          const items = liked.items.flatMap((id) => {
            const p = found.get(id)
            return p ? [{ id: p.id, name: p.name, price: p.price, brandId: p.brandId }] : []
          })
          return makePage(items, page, liked.totalElements)
        }),
    })
  }),
)
