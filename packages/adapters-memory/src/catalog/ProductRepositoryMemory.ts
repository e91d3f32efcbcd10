import {
  InsufficientStock,
  InvalidInput,
  isListed,
  isStockLevel,
  listingOrder,
  Product,
  ProductId,
  ProductNotFound,
  ProductRepository,
  pageOf,
  StockLevel,
  sortAscending,
  toListItem,
  toProductDetail,
  withStock,
} from "@commerce-core/domain"
import { Effect, Either, Layer, Option } from "effect"
import { MemoryDatabase, type MemoryView } from "../MemoryDatabase.js"
import { CatalogTablesMemory } from "./CatalogTablesMemory.js"

const stockAfter = (productId: ProductId, field: string, value: number): Either.Either<StockLevel, InvalidInput> =>
  value <= Number.MAX_SAFE_INTEGER
    ? Either.right(StockLevel.make(value))
    : Either.left(new InvalidInput({ field, reason: `stock of product ${productId} would exceed the safe range` }))

/** StockLevel.make without the schema parser when the value is plainly valid (the hot path). */
const stockLevel = (value: number): StockLevel => (isStockLevel(value) ? value : StockLevel.make(value))

export const ProductRepositoryMemory = Layer.effect(
  ProductRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const { brands, products } = yield* CatalogTablesMemory

    /** One atomic read-check-write of a product row; `f` decides the new row or refuses. */
    const modify = <A, E = never>(
      id: ProductId,
      f: (product: Product) => Either.Either<readonly [Product, A], E>,
    ): Effect.Effect<A, E | ProductNotFound> =>
      db.write((tx): Effect.Effect<A, E | ProductNotFound> => {
        const product = tx.get(products, id)
        if (product === undefined) return Effect.fail(new ProductNotFound({ productId: id }))
        const outcome = f(product)
        if (Either.isLeft(outcome)) return Effect.fail(outcome.left)
        const [updated, result] = outcome.right
        tx.set(products, id, updated)
        return Effect.succeed(result)
      })

    const detailIn = (view: MemoryView, id: ProductId) => {
      const product = view.get(products, id)
      const brand = product === undefined ? undefined : view.get(brands, product.brandId)
      return product === undefined || brand === undefined ? Option.none() : Option.some(toProductDetail(product, brand))
    }

    // The stored row was validated when written and `stock` is a checked StockLevel: no re-validation.
    const withStockLevel = (product: Product, stock: StockLevel) => [withStock(product, stock), stock] as const
    const withLikes = (product: Product, likeCount: number) =>
      [new Product({ ...product, likeCount }), likeCount] as const

    return ProductRepository.of({
      insert: (input) =>
        db.write((tx) =>
          Effect.sync(() => {
            const product = new Product({ ...input, id: ProductId.make(db.nextId("products")), likeCount: 0 })
            tx.set(products, product.id, product)
            return product
          }),
        ),

      findById: (id) => db.read((view) => Option.fromNullable(view.get(products, id))),
      findDetail: (id) => db.read((view) => detailIn(view, id)),
      findDetails: (ids) =>
        db.read((view) => [...new Set(ids)].sort((a, b) => a - b).flatMap((id) => Option.toArray(detailIn(view, id)))),

      findByIds: (ids) =>
        db.read((view) => {
          const found: Array<Product> = []
          for (const id of ids) {
            const product = view.get(products, id)
            if (product !== undefined && !found.includes(product)) found.push(product)
          }
          return sortAscending(found, (product) => product.id)
        }),

      update: (id, changes) =>
        modify(id, (product) => {
          const updated = new Product({ ...product, ...changes })
          return Either.right([updated, updated] as const)
        }),

      list: (query) =>
        db.read((view) => {
          const listed = view.values(products).flatMap((product) => {
            if (query.brandId !== undefined && product.brandId !== query.brandId) return []
            const brand = view.get(brands, product.brandId)
            return brand !== undefined && isListed(product, brand) ? [{ product, brandName: brand.name }] : []
          })
          const order = listingOrder(query.sort)
          listed.sort((a, b) => order(a.product, b.product))
          return pageOf(
            listed.map(({ brandName, product }) => toListItem(product, brandName)),
            query.page,
          )
        }),

      decrementStock: (id, quantity) =>
        modify(id, (product) =>
          product.stock >= quantity
            ? Either.right(withStockLevel(product, stockLevel(product.stock - quantity)))
            : Either.left(new InsufficientStock({ productId: id, requested: quantity, available: product.stock })),
        ),

      restoreStock: (id, quantity) =>
        modify(id, (product) =>
          Either.map(stockAfter(id, "quantity", product.stock + quantity), (stock) => withStockLevel(product, stock)),
        ),

      adjustStock: (id, delta) =>
        modify(id, (product): Either.Either<readonly [Product, StockLevel], InsufficientStock | InvalidInput> => {
          if (!Number.isSafeInteger(delta)) {
            return Either.left(new InvalidInput({ field: "delta", reason: "must be an integer" }))
          }
          const after = product.stock + delta
          if (after < 0) {
            return Either.left(new InsufficientStock({ productId: id, requested: -delta, available: product.stock }))
          }
          return Either.map(stockAfter(id, "delta", after), (stock) => withStockLevel(product, stock))
        }),

      incrementLikeCount: (id) => modify(id, (product) => Either.right(withLikes(product, product.likeCount + 1))),

      decrementLikeCount: (id) =>
        modify(id, (product) => Either.right(withLikes(product, Math.max(0, product.likeCount - 1)))),
    })
  }),
)
