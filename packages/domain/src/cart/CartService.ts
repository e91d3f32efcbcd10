import { Context, Effect, Layer, Option } from "effect"
import { ProductNotFound, ProductUnavailable } from "../catalog/CatalogErrors.js"
import { isOnSale, type Product } from "../catalog/Product.js"
import { ProductRepository } from "../catalog/ProductRepository.js"
import type { InvalidInput, PersistenceUnavailable } from "../shared/DomainError.js"
import type { ProductId, UserId } from "../shared/Ids.js"
import * as Money from "../shared/Money.js"
import { Quantity } from "../shared/Quantity.js"
import { Transactor } from "../shared/Transactor.js"
import { QuantityLimitExceeded } from "./CartErrors.js"
import { validateAddQuantity, validateSetQuantity } from "./CartLine.js"
import { CartRepository } from "./CartRepository.js"

/** A cart line priced with the product's current name and price. */
export interface CartItem {
  readonly productId: ProductId
  readonly name: string
  readonly price: Money.Money
  readonly quantity: Quantity
}

export interface Cart {
  readonly items: ReadonlyArray<CartItem>
  /** sum(price x quantity) at current prices. */
  readonly totalAmount: Money.Money
}

type CartError = Money.AmountOutOfRange | PersistenceUnavailable
type ChangeError = InvalidInput | ProductNotFound | ProductUnavailable | QuantityLimitExceeded | CartError

export class CartService extends Context.Tag("@commerce-core/domain/CartService")<
  CartService,
  {
    readonly view: (userId: UserId) => Effect.Effect<Cart, CartError>
    /** Merges with an existing line; the merged quantity must stay within 1..maxOrderQuantity. */
    readonly add: (userId: UserId, productId: ProductId, quantity: number) => Effect.Effect<Cart, ChangeError>
    /** Sets the line to `quantity` (creating it if absent); 0 removes the line. */
    readonly setQuantity: (userId: UserId, productId: ProductId, quantity: number) => Effect.Effect<Cart, ChangeError>
    /** Removes the line; removing a product that is not in the cart changes nothing. */
    readonly remove: (userId: UserId, productId: ProductId) => Effect.Effect<Cart, ProductNotFound | CartError>
    /**
     * Removes exactly these lines; for the order service, inside its transaction (it joins it).
     * Products are not checked: an ordered line is removed whatever became of its product.
     */
    readonly removeLines: (
      userId: UserId,
      productIds: ReadonlyArray<ProductId>,
    ) => Effect.Effect<void, PersistenceUnavailable>
  }
>() {}

export const CartServiceLive = Layer.effect(
  CartService,
  Effect.gen(function* () {
    const carts = yield* CartRepository
    const products = yield* ProductRepository
    const tx = yield* Transactor

    const existing = (productId: ProductId) =>
      Effect.flatMap(
        products.findById(productId),
        Option.match({ onNone: () => new ProductNotFound({ productId }), onSome: Effect.succeed }),
      )

    // Only products on sale may be put in a cart; lines already there stay visible.
    const onSale = (productId: ProductId) =>
      Effect.filterOrFail(existing(productId), isOnSale, (p: Product) => new ProductUnavailable({ productId: p.id }))

    const view = (userId: UserId) =>
      Effect.gen(function* () {
        const lines = yield* carts.lines(userId)
        const found = new Map((yield* products.findByIds(lines.map((l) => l.productId))).map((p) => [p.id, p] as const))
        const items: Array<CartItem> = []
        const amounts: Array<Money.Money> = []
        for (const line of lines) {
          const product = found.get(line.productId)
          if (product === undefined) continue
          items.push({ productId: product.id, name: product.name, price: product.price, quantity: line.quantity })
          amounts.push(yield* Money.multiply(product.price, line.quantity))
        }
        return { items, totalAmount: yield* Money.sum(amounts) }
      })

    const removeLine = (userId: UserId, productId: ProductId) =>
      Effect.flatMap(existing(productId), () => carts.remove(userId, productId))

    const setQuantity = (userId: UserId, productId: ProductId, quantity: number) =>
      Effect.gen(function* () {
        const valid = yield* validateSetQuantity(quantity)
        return yield* tx.withTransaction(
          Effect.gen(function* () {
            if (valid === 0) {
              yield* removeLine(userId, productId)
            } else {
              const product = yield* onSale(productId)
              if (valid > product.maxOrderQuantity) {
                return yield* new QuantityLimitExceeded({ productId, requested: valid, max: product.maxOrderQuantity })
              }
              yield* carts.set(userId, productId, Quantity.make(valid))
            }
            return yield* view(userId)
          }),
        )
      })

    return CartService.of({
      view,
      add: (userId, productId, quantity) =>
        Effect.gen(function* () {
          const valid = yield* validateAddQuantity(quantity)
          return yield* tx.withTransaction(
            Effect.gen(function* () {
              const product = yield* onSale(productId)
              yield* carts.add(userId, productId, valid, product.maxOrderQuantity)
              return yield* view(userId)
            }),
          )
        }),
      setQuantity,
      remove: (userId, productId) =>
        tx.withTransaction(
          Effect.gen(function* () {
            yield* removeLine(userId, productId)
            return yield* view(userId)
          }),
        ),
      removeLines: (userId, productIds) => tx.withTransaction(Effect.asVoid(carts.removeLines(userId, productIds))),
    })
  }),
)
