import { Schema } from "effect"
import type { ErrorKind } from "../shared/DomainError.js"

/**
 * A batch could not be handed to the event transport (broker down, timeout, an in-process
 * consumer failed). Nothing of the batch is marked published, so it is published again.
 */
export class EventPublishFailed extends Schema.TaggedError<EventPublishFailed>()("EventPublishFailed", {
  reason: Schema.String,
}) {
  get code() {
    return "EVENT_PUBLISH_FAILED" as const
  }
  get kind(): ErrorKind {
    return "unavailable"
  }
  override get message() {
    return `Publishing events failed: ${this.reason}`
  }
}
