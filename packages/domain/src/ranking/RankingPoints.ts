import type { DomainEvent } from "../events/DomainEvent.js"
import type { ProductId } from "../shared/Ids.js"
import { type BusinessDate, businessDateOf } from "./BusinessDate.js"
import type { MetricCounts } from "./ProductMetrics.js"
import { POINTS_PER_SCORE, type RankingWeightsShape } from "./RankingWeights.js"

/** Points to add to one product on a board. */
export interface PointsEntry {
  readonly productId: ProductId
  readonly points: number
}

/** The points one event adds to a day's board (RankingBoard.incrementEvents). */
export interface EventPoints {
  readonly eventId: string
  readonly entries: ReadonlyArray<PointsEntry>
}

export interface BoardIncrement {
  readonly date: BusinessDate
  readonly entries: ReadonlyArray<PointsEntry>
}

/**
 * What an event adds to the daily board of the Seoul day it occurred: its views, a like, an
 * unlike, or one order weight per line of a paid order (quantity does not matter). Events
 * that do not move the ranking give `undefined`. Cancelling a paid order takes nothing back:
 * the board ranks activity as it happened.
 */
export const boardIncrementOf = (event: DomainEvent, weights: RankingWeightsShape): BoardIncrement | undefined => {
  const single = (productId: ProductId, points: number): BoardIncrement => ({
    date: businessDateOf(event.occurredAt),
    entries: [{ productId, points }],
  })
  switch (event._tag) {
    case "ProductViewed":
      return single(event.productId, weights.view * event.views)
    case "ProductLiked":
      return single(event.productId, weights.like)
    case "ProductUnliked":
      return single(event.productId, weights.unlike)
    case "OrderPaid":
      if (event.lines.length === 0) return undefined
      return {
        date: businessDateOf(event.occurredAt),
        entries: [...event.lines]
          .sort((a, b) => a.productId - b.productId)
          .map((line) => ({ productId: line.productId, points: weights.orderLine })),
      }
    default:
      return undefined
  }
}

/** The points a day's metrics are worth; equals what the events behind them added to the live board. */
export const pointsOfMetrics = (metrics: MetricCounts, weights: RankingWeightsShape): number =>
  metrics.views * weights.view +
  metrics.likes * weights.like +
  metrics.unlikes * weights.unlike +
  metrics.orders * weights.orderLine

/**
 * Points carried from one day's board to the next: floor(points x permille / 1000), exact in
 * BigInt. Only positive scores carry (a penalty does not roll into a new day), and a product
 * whose carried amount floors to 0 is not seeded.
 */
export const carriedPoints = (points: number, carryOverPermille: number): number =>
  points <= 0 ? 0 : Number((BigInt(points) * BigInt(carryOverPermille)) / BigInt(POINTS_PER_SCORE))

/** Board order: higher points first, ties by ascending product id. */
export const compareRanked = (a: PointsEntry, b: PointsEntry): number =>
  b.points - a.points || a.productId - b.productId
