import {
  BusinessDate,
  drainOutbox,
  EventPublisher,
  makeRankingConsumers,
  PageRequest,
  ProductId,
  RankingService,
} from "@commerce-core/domain"
import { buildRankingEvent } from "@commerce-core/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { InProcessPipelineMemory } from "../../src/pipeline/InProcessPipeline.js"
import { appendToOutbox, outboxEvents, rankingTestLayer, snapshot } from "./RankingTestLayer.js"

const day = BusinessDate.make("20261120")

describe("ranking through the in-process pipeline", () => {
  it.scoped("committed events reach the board and the metrics once, however often they are published", () =>
    Effect.gen(function* () {
      const pipeline = yield* Layer.build(InProcessPipelineMemory(makeRankingConsumers))
      const specs = [
        { kind: "view", productId: 1, day: 0, minute: 1 },
        { kind: "like", productId: 2, day: 0, minute: 2 },
        { kind: "like", productId: 2, day: 0, minute: 3 },
        { kind: "unlike", productId: 2, day: 0, minute: 4 },
        { kind: "paid", orderId: 9, lines: [{ productId: 1, quantity: 2, unitPrice: 5_000 }], day: 0, minute: 5 },
        { kind: "cancelled", orderId: 9, lines: [{ productId: 1, quantity: 2, unitPrice: 5_000 }], day: 0, minute: 6 },
      ] as const
      yield* Effect.forEach(specs, (spec) => Effect.flatMap(buildRankingEvent(spec), (e) => appendToOutbox([e])))
      expect(yield* Effect.provide(drainOutbox, pipeline)).toBe(6)
      const publisher = yield* Effect.provide(EventPublisher, pipeline)
      yield* publisher.publish(yield* outboxEvents)

      const { boards, rows } = yield* snapshot([day])
      expect(boards[0]).toEqual([
        { rank: 1, productId: 1, points: 800 },
        { rank: 2, productId: 2, points: 200 },
      ])
      expect(rows).toEqual([
        { date: day, productId: 1, views: 1, likes: 0, unlikes: 0, orders: 1, units: 2, revenue: 10_000 },
        { date: day, productId: 2, views: 0, likes: 2, unlikes: 1, orders: 0, units: 0, revenue: 0 },
      ])
      const service = yield* RankingService
      expect(yield* service.rankOf(ProductId.make(2), day)).toEqual(Option.some({ rank: 2, score: 0.2, points: 200 }))
      const page = yield* service.page({ date: day, request: new PageRequest({ size: 1 }) })
      expect(page.items).toEqual([{ rank: 1, productId: 1, score: 0.8, points: 800 }])
      expect(page.hasNext).toBe(true)
    }).pipe(Effect.provide(rankingTestLayer())),
  )

  it.scoped("hundreds of events committed concurrently are all counted once", () =>
    Effect.gen(function* () {
      const pipeline = yield* Layer.build(InProcessPipelineMemory(makeRankingConsumers))
      yield* Effect.all(
        Array.from({ length: 300 }, (_, i) =>
          Effect.flatMap(
            buildRankingEvent({ kind: i % 3 === 0 ? "like" : "view", productId: (i % 4) + 1, day: 0, minute: i }),
            (e) => appendToOutbox([e]),
          ),
        ),
        { concurrency: "unbounded", discard: true },
      )
      yield* Effect.all([Effect.provide(drainOutbox, pipeline), Effect.provide(drainOutbox, pipeline)], {
        concurrency: "unbounded",
      })
      const { boards, rows } = yield* snapshot([day])
      expect(rows.reduce((sum, row) => sum + row.views + row.likes, 0)).toBe(300)
      const expected = [1, 2, 3, 4].map((productId) => {
        const mine = Array.from({ length: 300 }, (_, i) => i).filter((i) => (i % 4) + 1 === productId)
        return { productId, points: mine.reduce((sum, i) => sum + (i % 3 === 0 ? 200 : 100), 0) }
      })
      expect(
        boards[0]!.map(({ productId, points }) => ({ productId, points })).sort((a, b) => a.productId - b.productId),
      ).toEqual(expected)
    }).pipe(Effect.provide(rankingTestLayer())),
  )
})
