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
    /**
     * Takes units out of the user's lines in one atomic statement, never read-then-write (an
     * order removing what it bought must not lose a concurrent `add`): each line shrinks by
     * its `quantity`, clamped at 0; a line that reaches 0 is deleted. A missing line is left
     * missing (never created), and a line smaller than the units taken is only deleted, so a
     * line that shrank or left since the caller read it loses nothing more. A product listed
     * twice is taken twice. Other lines keep their quantity and position (SQL: `UPDATE ... SET
     * quantity = quantity - LEAST(quantity, ?)` then `DELETE ... WHERE quantity = 0`, both
     * under the row locks of one transaction).
     */
    readonly subtract: (userId: UserId, lines: ReadonlyArray<CartLine>) => Effect.Effect<void, PersistenceUnavailable>
    /** Removes exactly these lines (absent ones are ignored); returns how many were removed. */
    readonly removeLines: (
      userId: UserId,
      productIds: ReadonlyArray<ProductId>,
    ) => Effect.Effect<number, PersistenceUnavailable>
  }
>() {}
