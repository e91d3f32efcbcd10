import {
  addBusinessDays,
  BusinessDate,
  ConsumerRunner,
  ConsumerRunnerLive,
  type DomainEvent,
  makeProductMetricsConsumer,
  makeRankingConsumer,
  PageRequest,
  ProductMetricsRepository,
  RankingBoard,
  RankingWeightsDefault,
} from "@commerce-core/domain"
import { buildRankingEvent, rankingEventSpecArb, rankingEventsFirstDay } from "@commerce-core/domain/testing"
import { it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fc from "fast-check"
import { expect } from "vitest"
import { EventInboxMysql, ProductMetricsRepositoryMysql, RankingBoardMysql, TransactorMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { IdGeneratorUuid } from "./support/MysqlWorld.js"

const days = [0, 1, 2].map((n) => addBusinessDays(BusinessDate.make(rankingEventsFirstDay), n))

/** Delivers `events` (in that order, `concurrency` at a time) to both consumers through the inbox. */
const deliverAll = (events: ReadonlyArray<DomainEvent>, concurrency: number | "unbounded") =>
  Effect.gen(function* () {
    const runner = yield* ConsumerRunner
    const consumers = [yield* makeRankingConsumer, yield* makeProductMetricsConsumer]
    yield* Effect.forEach(events, (event) => Effect.forEach(consumers, (c) => runner.deliver(c, event)), {
      concurrency,
      discard: true,
    })
  })

const snapshot = Effect.gen(function* () {
  const board = yield* RankingBoard
  const metrics = yield* ProductMetricsRepository
  const boards = yield* Effect.forEach(days, (day) =>
    Effect.map(board.top(day, new PageRequest({ page: 0, size: 100 })), (page) => page.items),
  )
  return { boards, rows: yield* metrics.range(days[0]!, days[2]!) }
})

describeMysql("Ranking and metrics consumers on MySQL", () => {
  const db = useTestDatabase({ poolSize: 16 })
  const layer = () =>
    db.fresh(
      ConsumerRunnerLive.pipe(
        Layer.provideMerge(
          Layer.mergeAll(
            EventInboxMysql,
            TransactorMysql,
            RankingBoardMysql,
            ProductMetricsRepositoryMysql,
            RankingWeightsDefault,
          ),
        ),
      ),
    )

  it.live("racing duplicate deliveries leave the same boards and metrics as one delivery each (property)", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.array(rankingEventSpecArb(6, 3), { minLength: 1, maxLength: 30 }),
          fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 30, maxLength: 30 }),
          (specs, copies) =>
            Effect.runPromise(
              Effect.gen(function* () {
                const events = yield* Effect.forEach(specs, buildRankingEvent).pipe(Effect.provide(IdGeneratorUuid))
                const once = yield* Effect.zipRight(deliverAll(events, 1), snapshot).pipe(Effect.provide(layer()))
                const repeated = events.flatMap((event, i) => Array.from({ length: copies[i]! }, () => event)).reverse()
                const racing = yield* Effect.zipRight(deliverAll(repeated, "unbounded"), snapshot).pipe(
                  Effect.provide(layer()),
                )
                expect(racing).toEqual(once)
              }),
            ),
        ),
        { numRuns: 8 },
      ),
    ),
  )
})
