import { Context, type Effect } from "effect"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import type { ProductId, UserId } from "../shared/Ids.js"
import type { Quantity } from "../shared/Quantity.js"
import type { QuantityLimitExceeded } from "./CartErrors.js"
import type { CartLine } from "./CartLine.js"

/** Cart lines keyed by (user, product). Each operation is one atomic statement. */
export class CartRepository extends Context.Tag("@commerce-core/domain/CartRepository")<
  CartRepository,
  {
    /** The user's lines in the order they were first added. */
    readonly lines: (userId: UserId) => Effect.Effect<ReadonlyArray<CartLine>, PersistenceUnavailable>
    /**
     * Adds units to the line (creating it), failing with nothing changed when the merged
     * quantity would exceed `max` (SQL: `INSERT ... ON DUPLICATE KEY UPDATE` guarded by the limit,
     * or a locked read in the same statement). Returns the quantity after.
     */
    readonly add: (
      userId: UserId,
      productId: ProductId,
      quantity: Quantity,
      max: Quantity,
    ) => Effect.Effect<Quantity, QuantityLimitExceeded | PersistenceUnavailable>
    /** Sets the line's quantity, creating the line if absent (an existing line keeps its position). */
    readonly set: (
      userId: UserId,
      productId: ProductId,
      quantity: Quantity,
    ) => Effect.Effect<void, PersistenceUnavailable>
    /** True when a line was removed. */
    readonly remove: (userId: UserId, productId: ProductId) => Effect.Effect<boolean, PersistenceUnavailable>
    /** Removes exactly these lines (absent ones are ignored); returns how many were removed. */
    readonly removeLines: (
      userId: UserId,
      productIds: ReadonlyArray<ProductId>,
    ) => Effect.Effect<number, PersistenceUnavailable>
  }
>() {}
