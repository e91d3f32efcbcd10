import { LikeRepository, type ProductId, pageOf, type UserId } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

interface LikeRow {
  readonly userId: UserId
  readonly productId: ProductId
  readonly likedAt: Date
  /** Insertion order; breaks ties between likes of the same millisecond. */
  readonly sequence: number
}

const keyOf = (userId: UserId, productId: ProductId) => `${userId}:${productId}`

export const LikeRepositoryMemory = Layer.effect(
  LikeRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const likes = db.table<string, LikeRow>("likes")
    return LikeRepository.of({
      like: (userId, productId, likedAt) =>
        db.write((tx) =>
          Effect.sync(() => {
            const key = keyOf(userId, productId)
            if (tx.get(likes, key) !== undefined) return false
            tx.set(likes, key, { userId, productId, likedAt, sequence: db.nextId("likes") })
            return true
          }),
        ),
      unlike: (userId, productId) =>
        db.write((tx) =>
          Effect.sync(() => {
            const key = keyOf(userId, productId)
            if (tx.get(likes, key) === undefined) return false
            tx.delete(likes, key)
            return true
          }),
        ),
      isLiked: (userId, productId) => db.read((view) => view.get(likes, keyOf(userId, productId)) !== undefined),
      likedProductIds: (userId, page) =>
        db.read((view) => {
          const rows = view
            .values(likes)
            .filter((row) => row.userId === userId)
            .sort((a, b) => b.likedAt.getTime() - a.likedAt.getTime() || b.sequence - a.sequence)
          return pageOf(
            rows.map((row) => row.productId),
            page,
          )
        }),
    })
  }),
)
