import { Context, type Effect } from "effect"
import type { EventId } from "./Ids.js"

/** Source of globally unique ids (UUIDs) for events and tokens; entity ids come from the stores. */
export class IdGenerator extends Context.Tag("@commerce-core/domain/IdGenerator")<
  IdGenerator,
  {
    readonly eventId: Effect.Effect<EventId>
  }
>() {}
