import { Context, Effect } from "effect"
import type { EventId } from "./Ids.js"

/** Source of globally unique ids (UUIDs) for events and tokens; entity ids come from the stores. */
export class IdGenerator extends Context.Tag("@commerce-core/domain/IdGenerator")<
  IdGenerator,
  {
    readonly eventId: Effect.Effect<EventId>
    /** `count` fresh ids in one step: what stamping a transaction's events uses. */
    readonly eventIds: (count: number) => Effect.Effect<Array<EventId>>
  }
>() {}

/** An IdGenerator drawing every id from `next`, which must return a fresh id on each call. */
export const makeIdGenerator = (next: () => EventId): IdGenerator["Type"] =>
  IdGenerator.of({
    eventId: Effect.sync(next),
    eventIds: (count) =>
      Effect.sync(() => {
        const ids: Array<EventId> = []
        for (let i = 0; i < count; i++) ids.push(next())
        return ids
      }),
  })
