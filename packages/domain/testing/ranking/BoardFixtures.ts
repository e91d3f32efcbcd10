import { Effect } from "effect"
import { BusinessDate } from "../../src/ranking/BusinessDate.js"
import { RankingBoard } from "../../src/ranking/RankingBoard.js"
import { ProductId } from "../../src/shared/Ids.js"
import { PageRequest } from "../../src/shared/Pagination.js"

// Shared by the RankingBoard contracts.

export const day = BusinessDate.make("20261121")
export const nextDay = BusinessDate.make("20261122")
export const p = (n: number) => ProductId.make(n)

/** The first 100 entries of a day's board, ranked. */
export const fullBoard = (date: BusinessDate) =>
  Effect.flatMap(RankingBoard, (board) =>
    Effect.map(board.top(date, new PageRequest({ page: 0, size: 100 })), (page) => page.items),
  )
