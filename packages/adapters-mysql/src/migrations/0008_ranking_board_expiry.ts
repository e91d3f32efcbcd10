import { SeoulCalendar } from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { Clock, Effect } from "effect"

/** The last millisecond of a Seoul calendar day written yyyyMMdd. */
const endOfBusinessDay = (date: string) => SeoulCalendar.startOfDay(date) + SeoulCalendar.DAY_MS - 1

/**
 * Daily boards expire like Redis keys (see RankingBoardMysql): `ranking_daily_board` holds the
 * time of each board's last write, and `ranking_carry_over.carried_at_ms` the time of each
 * carry-over, both in Clock milliseconds. A board already there counts as last written at the
 * end of its Seoul day (or now, for today's): its events happened on that day, so older boards
 * expire at once instead of living another TTL, and they are deleted one per later check (see
 * DailyBoardExpiry), never all in one writer's transaction. Markers already there count as
 * carried now.
 *
 * Re-run at every start, so every step is guarded: the table is created if missing, the column
 * added if missing, and only boards without a row and markers without a time are filled in
 * (none, once this has run). The boards are read first and inserted by value: an INSERT ...
 * SELECT would lock every row of `ranking_daily` it read at each start.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient
  const now = yield* Clock.currentTimeMillis
  yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS ranking_daily_board (
    board_date CHAR(8) NOT NULL,
    written_at_ms BIGINT NOT NULL,
    PRIMARY KEY (board_date)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`)
  const unrecorded = yield* sql<{ board_date: string }>`SELECT DISTINCT d.board_date FROM ranking_daily d
    WHERE NOT EXISTS (SELECT 1 FROM ranking_daily_board b WHERE b.board_date = d.board_date)`
  if (unrecorded.length > 0) {
    yield* sql`INSERT IGNORE INTO ranking_daily_board (board_date, written_at_ms) VALUES ${sql.csv(
      unrecorded.map((row) => sql`(${row.board_date}, ${Math.min(now, endOfBusinessDay(row.board_date))})`),
    )}`
  }

  const columns = yield* sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.columns
    WHERE table_schema = DATABASE() AND table_name = 'ranking_carry_over' AND column_name = 'carried_at_ms'`
  if (Number(columns[0]?.n) === 0) {
    yield* sql.unsafe("ALTER TABLE ranking_carry_over ADD COLUMN carried_at_ms BIGINT NULL")
  }
  yield* sql`UPDATE ranking_carry_over SET carried_at_ms = ${now} WHERE carried_at_ms IS NULL`
})
