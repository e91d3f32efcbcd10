import {
  CatalogService,
  LikeRepository,
  LikeService,
  PageRequest,
  ProductId,
  ProductRepository,
  UserId,
} from "@commerce-core/domain"
import { seedProduct } from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option, TestClock } from "effect"
import * as fc from "fast-check"
import { eventTags, makeServices, makeServicesWithFailingOutbox, outboxEvents } from "../catalog/ServiceTestLayer.js"

const user = UserId.make

/** A brand and `count` products named P1..Pn; returns their ids. */
const seed = (count: number) =>
  Effect.gen(function* () {
    const catalog = yield* CatalogService
    const brand = yield* catalog.createBrand({ name: "Acme", description: "" })
    const ids: Array<ProductId> = []
    for (let i = 1; i <= count; i++) {
      const detail = yield* catalog.createProduct({
        brandId: brand.id,
        name: `P${i}`,
        description: "",
        price: i * 1000,
        stock: 5,
        maxOrderQuantity: 5,
      })
      ids.push(detail.product.id)
    }
    return ids
  })

const likeCountOf = (id: ProductId) =>
  Effect.flatMap(ProductRepository, (p) => Effect.map(p.findById(id), (o) => Option.getOrThrow(o).likeCount))

const likeEvents = Effect.map(outboxEvents, (events) =>
  events.filter((e) => e._tag === "ProductLiked" || e._tag === "ProductUnliked"),
)

describe("LikeService", () => {
  it.effect("a like counts once, raises ProductLiked once, and a repeated like changes nothing", () =>
    Effect.gen(function* () {
      const [id] = yield* seed(1)
      const likes = yield* LikeService
      expect(yield* likes.like(user(1), id!)).toEqual({ productId: id, liked: true, changed: true, likeCount: 1 })
      expect(yield* likes.like(user(1), id!)).toEqual({ productId: id, liked: true, changed: false, likeCount: 1 })
      expect(yield* likes.like(user(2), id!)).toMatchObject({ changed: true, likeCount: 2 })
      expect(yield* likeCountOf(id!)).toBe(2)
      expect(yield* likeEvents).toMatchObject([
        { _tag: "ProductLiked", productId: id, userId: 1, aggregateKey: `product:${id}` },
        { _tag: "ProductLiked", productId: id, userId: 2 },
      ])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("an unlike of nothing changes nothing; a real one raises ProductUnliked and lowers the count", () =>
    Effect.gen(function* () {
      const [id] = yield* seed(1)
      const likes = yield* LikeService
      expect(yield* likes.unlike(user(1), id!)).toEqual({ productId: id, liked: false, changed: false, likeCount: 0 })
      yield* likes.like(user(1), id!)
      expect(yield* likes.unlike(user(1), id!)).toEqual({ productId: id, liked: false, changed: true, likeCount: 0 })
      expect(yield* likes.unlike(user(1), id!)).toMatchObject({ changed: false, likeCount: 0 })
      expect((yield* likeEvents).map((e) => e._tag)).toEqual(["ProductLiked", "ProductUnliked"])
      expect(yield* likeCountOf(id!)).toBe(0)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("liking or unliking an unknown product fails with ProductNotFound and records nothing", () =>
    Effect.gen(function* () {
      const likes = yield* LikeService
      const missing = ProductId.make(404)
      expect(yield* Effect.flip(likes.like(user(1), missing))).toMatchObject({ code: "PRODUCT_NOT_FOUND" })
      expect((yield* Effect.flip(likes.unlike(user(1), missing)))._tag).toBe("ProductNotFound")
      expect(yield* (yield* LikeRepository).isLiked(user(1), missing)).toBe(false)
      expect(yield* eventTags).toEqual([])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("an INACTIVE product can still be liked", () =>
    Effect.gen(function* () {
      const [id] = yield* seed(1)
      yield* (yield* CatalogService).updateProduct(id!, { status: "INACTIVE" })
      expect((yield* (yield* LikeService).like(user(1), id!)).likeCount).toBe(1)
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("likedProducts pages the user's likes, most recent first", () =>
    Effect.gen(function* () {
      const [p1, p2, p3] = yield* seed(3)
      const likes = yield* LikeService
      yield* likes.like(user(1), p2!)
      yield* TestClock.adjust(Duration.seconds(1))
      yield* likes.like(user(1), p1!)
      yield* TestClock.adjust(Duration.seconds(1))
      yield* likes.like(user(1), p3!)
      yield* likes.like(user(2), p2!)
      yield* likes.unlike(user(1), p3!)
      const page = yield* likes.likedProducts(user(1), new PageRequest({ page: 0, size: 1 }))
      expect(page).toMatchObject({ page: 0, size: 1, totalElements: 2, totalPages: 2, hasNext: true })
      expect(page.items).toEqual([{ id: p1, name: "P1", price: 1000, brandId: expect.any(Number) }])
      const all = yield* likes.likedProducts(user(1), new PageRequest({}))
      expect(all.items.map((i) => i.name)).toEqual(["P1", "P2"])
      expect((yield* likes.likedProducts(user(3), new PageRequest({}))).items).toEqual([])
    }).pipe(Effect.provide(makeServices())),
  )

  it.effect("a like whose event cannot be written is rolled back with its count", () =>
    Effect.gen(function* () {
      const products = yield* ProductRepository
      const product = yield* seedProduct()
      const error = yield* Effect.flip((yield* LikeService).like(user(1), product.id))
      expect(error._tag).toBe("PersistenceUnavailable")
      expect(yield* (yield* LikeRepository).isLiked(user(1), product.id)).toBe(false)
      expect(Option.getOrThrow(yield* products.findById(product.id)).likeCount).toBe(0)
    }).pipe(Effect.provide(makeServicesWithFailingOutbox())),
  )

  const action = fc.record({ user: fc.integer({ min: 1, max: 6 }), product: fc.nat(2), like: fc.boolean() })

  it(
    "any sequence: likeCount = distinct likers, and an event exactly for each real change (property)",
    () =>
      fc.assert(
        fc.asyncProperty(fc.array(action, { maxLength: 60 }), (actions) =>
          Effect.runPromise(
            Effect.gen(function* () {
              const ids = yield* seed(3)
              const likes = yield* LikeService
              const model = new Set<string>()
              let changes = 0
              for (const a of actions) {
                const id = ids[a.product]!
                const key = `${a.user}:${id}`
                const result = a.like ? yield* likes.like(user(a.user), id) : yield* likes.unlike(user(a.user), id)
                const expectedChange = a.like ? !model.has(key) : model.has(key)
                expect(result.changed).toBe(expectedChange)
                if (a.like) model.add(key)
                else model.delete(key)
                if (expectedChange) changes++
              }
              for (const id of ids) {
                const likers = [...model].filter((k) => k.endsWith(`:${id}`)).length
                expect(yield* likeCountOf(id)).toBe(likers)
              }
              expect(yield* likeEvents).toHaveLength(changes)
            }).pipe(Effect.provide(makeServices())),
          ),
        ),
        { numRuns: 40 },
      ),
    60_000,
  )

  it(
    "racing likes and unlikes: likeCount = distinct likers >= 0 and events match the changes (property)",
    () =>
      fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 100, maxLength: 300 }), (actions) =>
          Effect.runPromise(
            Effect.gen(function* () {
              const ids = yield* seed(3)
              const likes = yield* LikeService
              const repo = yield* LikeRepository
              const results = yield* Effect.all(
                actions.map((a) =>
                  a.like ? likes.like(user(a.user), ids[a.product]!) : likes.unlike(user(a.user), ids[a.product]!),
                ),
                { concurrency: "unbounded" },
              )
              const events = yield* likeEvents
              expect(events).toHaveLength(results.filter((r) => r.changed).length)
              for (const id of ids) {
                let likers = 0
                for (let u = 1; u <= 6; u++) if (yield* repo.isLiked(user(u), id)) likers++
                const count = yield* likeCountOf(id)
                expect(count).toBe(likers)
                const net = events
                  .filter((e) => e.productId === id)
                  .reduce((n, e) => n + (e._tag === "ProductLiked" ? 1 : -1), 0)
                expect(net).toBe(count)
              }
            }).pipe(Effect.provide(makeServices())),
          ),
        ),
        { numRuns: 15 },
      ),
    60_000,
  )
})
