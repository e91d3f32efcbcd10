import { Context, Effect, Layer } from "effect"
import type { DomainEventTag } from "../events/DomainEvent.js"
import type { EventConsumer } from "../pipeline/EventConsumer.js"
import type { BusinessDate } from "./BusinessDate.js"
import { RankingBoard } from "./RankingBoard.js"
import { boardIncrementOf, type EventPoints } from "./RankingPoints.js"
import { RankingWeights } from "./RankingWeights.js"

/**
 * Feeds the live daily board. A batch is one `incrementEvents` per day, each event's points
 * named by its id; increments are integer additions, so any delivery order and any batching
 * give the same board. Duplicates are the inbox's to refuse (it delivers each event once per
 * consumer name) and, for a board outside the inbox's transaction, the board's own.
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
      return increment === undefined
        ? Effect.void
        : board.incrementEvents(increment.date, [{ eventId: event.eventId, entries: increment.entries }])
    },
    handleBatch: (events) => {
      const byDate = new Map<BusinessDate, Array<EventPoints>>()
      for (const event of events) {
        const increment = boardIncrementOf(event, weights)
        if (increment === undefined) continue
        const sameDay = byDate.get(increment.date) ?? []
        sameDay.push({ eventId: event.eventId, entries: increment.entries })
        byDate.set(increment.date, sameDay)
      }
      return Effect.forEach(byDate, ([date, dayEvents]) => board.incrementEvents(date, dayEvents), { discard: true })
    },
  })
})

export const RankingConsumerLive = Layer.effect(RankingConsumer, makeRankingConsumer)
