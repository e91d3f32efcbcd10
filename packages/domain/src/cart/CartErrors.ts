import { Schema } from "effect"
import type { ErrorKind } from "../shared/DomainError.js"
import { ProductId } from "../shared/Ids.js"

/**
 * A cart line or an order line would hold more units than the product's maxOrderQuantity;
 * nothing was changed. The one error of that limit, for the cart and for placing orders.
 */
export class QuantityLimitExceeded extends Schema.TaggedError<QuantityLimitExceeded>()("QuantityLimitExceeded", {
  productId: ProductId,
  requested: Schema.Number,
  max: Schema.Number,
}) {
  get code() {
    return "QUANTITY_LIMIT_EXCEEDED" as const
  }
  get kind(): ErrorKind {
    return "invalid"
  }
  override get message() {
    return `At most ${this.max} of product ${this.productId} per order, ${this.requested} requested`
  }
}
