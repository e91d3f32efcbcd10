import { PasswordHasherScryptWith } from "@commerce-core/adapters-memory"
import {
  CatalogService,
  drainOutbox,
  LikeService,
  PageRequest,
  RankingService,
  UserService,
} from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { makeEmbeddedLayer } from "../../src/embedded/EmbeddedLayer.js"
import { makeEmbeddedJobs } from "../../src/embedded/Jobs.js"

const embedded = makeEmbeddedLayer({
  relayDaemon: false,
  passwordHasher: PasswordHasherScryptWith({ logN: 4, r: 1, p: 1 }),
})
const withJobs = Layer.merge(
  embedded,
  makeEmbeddedJobs({ reconcileEvery: "1 hour", reconcileOlderThan: "1 hour", rebuildPeriodsEvery: "1 hour" }).pipe(
    Layer.provide(embedded),
  ),
)

describe("ranking carry-over job", () => {
  it.scoped("seeds tomorrow's board from 23:50 Seoul time, not before", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-03-01T14:00:00Z")) // 23:00 in Seoul
      const context = yield* Layer.build(withJobs)
      const ranking = yield* Effect.provide(RankingService, context)
      const user = yield* Effect.flatMap(UserService, (u) =>
        u.signUp({ loginId: "carry1", email: "carry1@x.io", gender: "MALE", birthDate: "1990-01-01" }),
      ).pipe(Effect.provide(context))
      const catalog = yield* Effect.provide(CatalogService, context)
      const brand = yield* catalog.createBrand({ name: "B", description: "" })
      const created = yield* catalog.createProduct({
        brandId: brand.id,
        name: "P",
        description: "",
        price: 1_000,
        stock: 5,
        maxOrderQuantity: 5,
      })
      yield* Effect.flatMap(LikeService, (likes) => likes.like(user.id, created.product.id)).pipe(
        Effect.provide(context),
      )
      yield* Effect.provide(drainOutbox, context)
      const board = (date: string) =>
        Effect.map(ranking.page({ date, request: new PageRequest({ page: 0, size: 10 }) }), (page) =>
          page.items.map((i) => ({ productId: i.productId, points: i.points })),
        )
      const today = yield* board("20260301")
      expect(today).toHaveLength(1)

      yield* TestClock.adjust("49 minutes") // 23:49
      expect(yield* board("20260302")).toEqual([])
      yield* TestClock.adjust("2 minutes") // 23:51: the job has run
      expect(yield* board("20260302")).toEqual([
        { productId: created.product.id, points: Math.floor(today[0]!.points / 10) },
      ])
    }),
  )
})
