import { Context, Effect, Layer } from "effect"
import type { EventConsumer } from "../pipeline/EventConsumer.js"
import { RankingBoard } from "./RankingBoard.js"
import { boardIncrementOf } from "./RankingPoints.js"
import { RankingWeights } from "./RankingWeights.js"

/**
 * Feeds the live daily board. Each relevant event is one atomic `increment`; increments are
 * integer additions, so any delivery order gives the same board. It does not guard against
 * duplicates itself: the inbox delivers each event once per consumer name.
 */
export const RANKING_CONSUMER_NAME = "ranking-daily-board"

export class RankingConsumer extends Context.Tag("@commerce-core/domain/RankingConsumer")<
  RankingConsumer,
  EventConsumer
>() {}

export const makeRankingConsumer = Effect.gen(function* () {
  const board = yield* RankingBoard
  const weights = yield* RankingWeights
  return RankingConsumer.of({
    name: RANKING_CONSUMER_NAME,
    handle: (event) => {
      const increment = boardIncrementOf(event, weights)
      return increment === undefined ? Effect.void : board.increment(increment.date, increment.entries)
    },
  })
})

export const RankingConsumerLive = Layer.effect(RankingConsumer, makeRankingConsumer)
