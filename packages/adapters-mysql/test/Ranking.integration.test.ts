import {
  BusinessDate,
  DAILY_BOARD_TTL_MILLIS,
  PageRequest,
  ProductId,
  RankingBoard,
  Transactor,
} from "@commerce-core/domain"
import {
  periodRankingRepositoryContract,
  productMetricsRepositoryContract,
  rankingBoardContract,
  rankingBoardExpiryContract,
} from "@commerce-core/domain/testing"
import { it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { expect } from "vitest"
import {
  PeriodRankingRepositoryMysql,
  ProductMetricsRepositoryMysql,
  RankingBoardMysql,
  TransactorMysql,
} from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("Ranking on MySQL", () => {
  const db = useTestDatabase()
  productMetricsRepositoryContract(() => db.fresh(ProductMetricsRepositoryMysql))
  periodRankingRepositoryContract(() => db.fresh(PeriodRankingRepositoryMysql))
  rankingBoardContract(() => db.fresh(RankingBoardMysql))
  rankingBoardExpiryContract(() => db.fresh(RankingBoardMysql))

  // The adapter remembers boards it saw alive; a time read back inside a transaction that then
  // rolled back must not be remembered, or a write after expiry would skip the purge.
  it.effect("a rolled-back transaction that wrote a board twice leaves the board's expiry as it was", () =>
    Effect.gen(function* () {
      const board = yield* RankingBoard
      const tx = yield* Transactor
      const day = BusinessDate.make("20261121")
      const hour = 60 * 60 * 1000
      const fullBoard = Effect.map(board.top(day, new PageRequest({ page: 0, size: 100 })), (page) =>
        page.items.map((entry) => [entry.productId, entry.points]),
      )
      yield* board.increment(day, [{ productId: ProductId.make(1), points: 700 }])
      yield* TestClock.adjust(hour)
      const twice = Effect.zipRight(
        board.increment(day, [{ productId: ProductId.make(2), points: 1 }]),
        board.increment(day, [{ productId: ProductId.make(2), points: 1 }]),
      )
      yield* Effect.exit(tx.withTransaction(Effect.zipRight(twice, Effect.fail("rolled back"))))
      expect(yield* fullBoard).toEqual([[1, 700]])
      yield* TestClock.adjust(DAILY_BOARD_TTL_MILLIS)
      expect(yield* fullBoard).toEqual([])
      yield* board.increment(day, [{ productId: ProductId.make(3), points: 5 }])
      expect(yield* fullBoard).toEqual([[3, 5]])
    }).pipe(Effect.provide(db.fresh(Layer.merge(RankingBoardMysql, TransactorMysql)))),
  )
})
