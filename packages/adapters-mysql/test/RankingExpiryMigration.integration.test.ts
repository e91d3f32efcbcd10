import { BusinessDate, DAILY_BOARD_TTL_MILLIS, PageRequest, ProductId, RankingBoard } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { expect } from "vitest"
import { migrations, RankingBoardMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

const migration = migrations["0008_ranking_board_expiry"]
const SEOUL_OFFSET = 9 * 60 * 60 * 1000
/** 2026-11-22 12:00 in Seoul. */
const now = Date.UTC(2026, 10, 22, 3)
const endOfSeoulDay = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d + 1) - SEOUL_OFFSET - 1

/** Boards as they were before 0008: rows in ranking_daily with no write times anywhere. */
const seedLegacy = Effect.gen(function* () {
  const sql = yield* SqlClient
  yield* sql`DELETE FROM ranking_daily_board`
  for (const date of ["20261001", "20261120", "20261122"]) {
    yield* sql`INSERT INTO ranking_daily (board_date, product_id, points) VALUES (${date}, 1, 700), (${date}, 2, 300)`
  }
})

const writeTimes = Effect.flatMap(SqlClient, (sql) =>
  Effect.map(
    sql<{ board_date: string; written_at_ms: string | number }>`SELECT board_date, written_at_ms
      FROM ranking_daily_board ORDER BY board_date`,
    (rows) => rows.map((row) => [row.board_date, Number(row.written_at_ms)]),
  ),
)

const boardSize = (date: string) =>
  Effect.flatMap(RankingBoard, (board) =>
    Effect.map(
      board.top(BusinessDate.make(date), new PageRequest({ page: 0, size: 100 })),
      (page) => page.totalElements,
    ),
  )

const rowsOf = (date: string) =>
  Effect.flatMap(SqlClient, (sql) =>
    Effect.map(sql<{ n: number }>`SELECT COUNT(*) AS n FROM ranking_daily WHERE board_date = ${date}`, (rows) =>
      Number(rows[0]?.n),
    ),
  )

describeMysql("migration 0008: daily boards get write times", () => {
  const db = useTestDatabase()

  it.effect("a board already there counts as written at the end of its Seoul day, today's as now", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* seedLegacy
      yield* migration
      expect(yield* writeTimes).toEqual([
        ["20261001", endOfSeoulDay(2026, 10, 1)],
        ["20261120", endOfSeoulDay(2026, 11, 20)],
        ["20261122", now],
      ])
      // October's board expired long ago; the day before yesterday's lives until 2 days after its end
      expect([yield* boardSize("20261001"), yield* boardSize("20261120"), yield* boardSize("20261122")]).toEqual([
        0, 2, 2,
      ])
      // a second run changes nothing
      yield* TestClock.adjust(60_000)
      yield* migration
      expect((yield* writeTimes).at(-1)).toEqual(["20261122", now])
      yield* TestClock.setTime(endOfSeoulDay(2026, 11, 20) + DAILY_BOARD_TTL_MILLIS + 1)
      expect(yield* boardSize("20261120")).toBe(0)
    }).pipe(Effect.provide(db.fresh(RankingBoardMysql))),
  )

  it.effect("expired history is deleted one board per later check, not in one writer's transaction", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(now)
      yield* seedLegacy
      yield* migration
      const board = yield* RankingBoard
      yield* TestClock.adjust(DAILY_BOARD_TTL_MILLIS)
      // the first write of a board in this process checks it and deletes the oldest expired board
      yield* board.increment(BusinessDate.make("20261124"), [{ productId: ProductId.make(1), points: 100 }])
      expect([yield* rowsOf("20261001"), yield* rowsOf("20261120")]).toEqual([0, 2])
      yield* board.increment(BusinessDate.make("20261125"), [{ productId: ProductId.make(1), points: 100 }])
      expect([yield* rowsOf("20261120"), yield* rowsOf("20261122")]).toEqual([0, 2])
    }).pipe(Effect.provide(db.fresh(RankingBoardMysql))),
  )
})
