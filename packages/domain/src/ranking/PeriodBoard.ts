import type { ProductId } from "../shared/Ids.js"
import type { ProductDailyMetrics } from "./ProductMetrics.js"
import type { RankedEntry } from "./RankingBoard.js"
import { compareRanked, pointsOfMetrics } from "./RankingPoints.js"
import type { RankingWeightsShape } from "./RankingWeights.js"

/** Weekly and monthly boards keep the top 100. */
export const PERIOD_BOARD_SIZE = 100

/**
 * A period board from the daily metrics of its days, with the same weights as the live
 * board: points summed per product, higher first, ties by ascending product id, ranks
 * 1..n. Every product with a metrics row in the period competes, whatever its sign. The
 * live board's carry-over is not part of it. Pure and deterministic: the input's order
 * does not matter.
 */
export const materialisePeriodBoard = (
  metrics: Iterable<ProductDailyMetrics>,
  weights: RankingWeightsShape,
  size: number = PERIOD_BOARD_SIZE,
): ReadonlyArray<RankedEntry> => {
  const totals = new Map<ProductId, number>()
  for (const row of metrics) {
    totals.set(row.productId, (totals.get(row.productId) ?? 0) + pointsOfMetrics(row, weights))
  }
  return Array.from(totals, ([productId, points]) => ({ productId, points }))
    .sort(compareRanked)
    .slice(0, size)
    .map((entry, index) => ({ rank: index + 1, productId: entry.productId, points: entry.points }))
}
