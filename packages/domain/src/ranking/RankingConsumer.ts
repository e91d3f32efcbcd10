import { Context, Effect, Layer } from "effect"
import type { DomainEventTag } from "../events/DomainEvent.js"
import type { EventConsumer } from "../pipeline/EventConsumer.js"
import { RankingBoard } from "./RankingBoard.js"
import { boardIncrementOf, combineBoardIncrements } from "./RankingPoints.js"
import { RankingWeights } from "./RankingWeights.js"

/**
 * Feeds the live daily board. Each relevant event is one atomic `increment` (a batch, one per
 * day with its points summed per product); increments are integer additions, so any delivery
 * order and any batching give the same board. It does not guard against
 * duplicates itself: the inbox delivers each event once per consumer name.
 */
export const RANKING_CONSUMER_NAME = "ranking-daily-board"

/** The events that move the board (see `boardIncrementOf`). */
const RANKED_EVENTS: ReadonlySet<DomainEventTag> = new Set<DomainEventTag>([
  "ProductViewed",
  "ProductLiked",
  "ProductUnliked",
  "OrderPaid",
])

export class RankingConsumer extends Context.Tag("@commerce-core/domain/RankingConsumer")<
  RankingConsumer,
  EventConsumer
>() {}

export const makeRankingConsumer = Effect.gen(function* () {
  const board = yield* RankingBoard
  const weights = yield* RankingWeights
  return RankingConsumer.of({
    name: RANKING_CONSUMER_NAME,
    interestedIn: RANKED_EVENTS,
    handle: (event) => {
      const increment = boardIncrementOf(event, weights)
      return increment === undefined ? Effect.void : board.increment(increment.date, increment.entries)
    },
    handleBatch: (events) => {
      const increments = events.flatMap((event) => boardIncrementOf(event, weights) ?? [])
      return Effect.forEach(combineBoardIncrements(increments), (increment) =>
        board.increment(increment.date, increment.entries),
      )
    },
  })
})

export const RankingConsumerLive = Layer.effect(RankingConsumer, makeRankingConsumer)
