import { LikeRepository, PageRequest, ProductId, UserId } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer } from "effect"

const user = UserId.make
const product = ProductId.make

/** Behaviour every LikeRepository must show; `makeLayer` gives a fresh, empty store per test. */
export const likeRepositoryContract = (makeLayer: () => Layer.Layer<LikeRepository, unknown>) => {
  const run = <A, E>(self: Effect.Effect<A, E, LikeRepository>) => Effect.provide(self, makeLayer())

  describe("LikeRepository contract", () => {
    it.effect("like reports a change only the first time", () =>
      run(
        Effect.gen(function* () {
          const likes = yield* LikeRepository
          expect(yield* likes.isLiked(user(1), product(10))).toBe(false)
          expect(yield* likes.like(user(1), product(10), new Date(1_000))).toBe(true)
          expect(yield* likes.like(user(1), product(10), new Date(2_000))).toBe(false)
          expect(yield* likes.isLiked(user(1), product(10))).toBe(true)
          expect(yield* likes.isLiked(user(2), product(10))).toBe(false)
          expect(yield* likes.isLiked(user(1), product(11))).toBe(false)
        }),
      ),
    )

    it.effect("unlike reports a change only when a like existed", () =>
      run(
        Effect.gen(function* () {
          const likes = yield* LikeRepository
          expect(yield* likes.unlike(user(1), product(10))).toBe(false)
          yield* likes.like(user(1), product(10), new Date(0))
          yield* likes.like(user(2), product(10), new Date(0))
          expect(yield* likes.unlike(user(1), product(10))).toBe(true)
          expect(yield* likes.unlike(user(1), product(10))).toBe(false)
          expect(yield* likes.isLiked(user(1), product(10))).toBe(false)
          expect(yield* likes.isLiked(user(2), product(10))).toBe(true)
          expect(yield* likes.like(user(1), product(10), new Date(5))).toBe(true)
        }),
      ),
    )

    it.effect("likedProductIds lists one user's likes, most recent first, later like first on equal times", () =>
      run(
        Effect.gen(function* () {
          const likes = yield* LikeRepository
          yield* likes.like(user(1), product(10), new Date(3_000))
          yield* likes.like(user(1), product(11), new Date(1_000))
          yield* likes.like(user(1), product(12), new Date(3_000))
          yield* likes.like(user(1), product(13), new Date(2_000))
          yield* likes.like(user(2), product(14), new Date(9_000))
          const page = yield* likes.likedProductIds(user(1), new PageRequest({}))
          expect(page.items).toEqual([product(12), product(10), product(13), product(11)])
          expect(page).toMatchObject({ totalElements: 4, totalPages: 1, hasNext: false })
          const second = yield* likes.likedProductIds(user(1), new PageRequest({ page: 1, size: 3 }))
          expect(second.items).toEqual([product(11)])
          expect(second).toMatchObject({ page: 1, size: 3, totalElements: 4, totalPages: 2, hasNext: false })
          yield* likes.unlike(user(1), product(10))
          expect((yield* likes.likedProductIds(user(1), new PageRequest({}))).items).toEqual([
            product(12),
            product(13),
            product(11),
          ])
          expect((yield* likes.likedProductIds(user(3), new PageRequest({}))).totalElements).toBe(0)
        }),
      ),
    )

    it.effect("racing likes of the same pair change the store exactly once", () =>
      run(
        Effect.gen(function* () {
          const likes = yield* LikeRepository
          const changed = yield* Effect.all(
            Array.from({ length: 200 }, () => likes.like(user(7), product(70), new Date(0))),
            { concurrency: "unbounded" },
          )
          expect(changed.filter((c) => c)).toHaveLength(1)
          const removed = yield* Effect.all(
            Array.from({ length: 200 }, () => likes.unlike(user(7), product(70))),
            { concurrency: "unbounded" },
          )
          expect(removed.filter((c) => c)).toHaveLength(1)
          expect(yield* likes.isLiked(user(7), product(70))).toBe(false)
        }),
      ),
    )
  })
}
