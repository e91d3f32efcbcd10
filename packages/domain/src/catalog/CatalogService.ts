import { Clock, Context, Effect, Layer, Option } from "effect"
import { type DomainEventTag, type EventInput, stampEvent } from "../events/DomainEvent.js"
import { aggregateKey } from "../events/EventFields.js"
import { EventOutbox } from "../events/EventOutbox.js"
import { type InvalidInput, PersistenceUnavailable } from "../shared/DomainError.js"
import { IdGenerator } from "../shared/IdGenerator.js"
import type { BrandId, ProductId } from "../shared/Ids.js"
import type { Page } from "../shared/Pagination.js"
import { Transactor } from "../shared/Transactor.js"
import type { Brand } from "./Brand.js"
import { BrandRepository } from "./BrandRepository.js"
import { BrandNotFound, type InsufficientStock, ProductNotFound } from "./CatalogErrors.js"
import {
  type CreateBrandInput,
  type CreateProductInput,
  type UpdateProductInput,
  validateBrand,
  validateChanges,
  validateDelta,
  validateProduct,
} from "./CatalogInput.js"
import type { Product } from "./Product.js"
import { type ProductDetail, toProductDetail } from "./ProductDetail.js"
import type { ProductListItem, ProductListQuery } from "./ProductListing.js"
import { ProductRepository } from "./ProductRepository.js"
import { ProductViewTally } from "./ProductViewTally.js"

export class CatalogService extends Context.Tag("@commerce-core/domain/CatalogService")<
  CatalogService,
  {
    readonly createBrand: (input: CreateBrandInput) => Effect.Effect<Brand, InvalidInput | PersistenceUnavailable>
    readonly getBrand: (id: BrandId) => Effect.Effect<Brand, BrandNotFound | PersistenceUnavailable>
    /**
     * Hides (false) or shows again (true) every product of the brand in the listing; a change
     * raises BrandActivationChanged, setting the state the brand is in raises nothing.
     */
    readonly setBrandActive: (
      id: BrandId,
      active: boolean,
    ) => Effect.Effect<Brand, BrandNotFound | PersistenceUnavailable>
    /** The brand must exist (it may be inactive). */
    readonly createProduct: (
      input: CreateProductInput,
    ) => Effect.Effect<ProductDetail, InvalidInput | BrandNotFound | PersistenceUnavailable>
    /** Applies the present fields; an empty patch changes nothing and raises no event. */
    readonly updateProduct: (
      id: ProductId,
      input: UpdateProductInput,
    ) => Effect.Effect<ProductDetail, InvalidInput | ProductNotFound | PersistenceUnavailable>
    /** Admin restock (delta > 0) or correction (delta < 0); never takes stock below 0. */
    readonly adjustStock: (
      id: ProductId,
      delta: number,
    ) => Effect.Effect<ProductDetail, InvalidInput | InsufficientStock | ProductNotFound | PersistenceUnavailable>
    /** Any existing product, INACTIVE included; counts a view (see ProductViewTally). */
    readonly getProductDetail: (id: ProductId) => Effect.Effect<ProductDetail, ProductNotFound | PersistenceUnavailable>
    readonly listProducts: (query: ProductListQuery) => Effect.Effect<Page<ProductListItem>, PersistenceUnavailable>
  }
>() {}

export const CatalogServiceLive = Layer.effect(
  CatalogService,
  Effect.gen(function* () {
    const brands = yield* BrandRepository
    const products = yield* ProductRepository
    const outbox = yield* EventOutbox
    const ids = yield* IdGenerator
    const tx = yield* Transactor
    const views = yield* ProductViewTally

    // stampEvent with the captured generator: Effect.provideService per event costs an Effect.locally.
    const emit = <T extends DomainEventTag>(tag: T, fields: EventInput<T>) =>
      Effect.flatMap(stampEvent(ids, tag, fields), (e) => outbox.append([e]))

    const now = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

    const getBrand = (id: BrandId) =>
      Effect.flatMap(
        brands.findById(id),
        Option.match({ onNone: () => new BrandNotFound({ brandId: id }), onSome: Effect.succeed }),
      )

    const detailById = (id: ProductId) =>
      Effect.flatMap(
        products.findDetail(id),
        Option.match({ onNone: () => new ProductNotFound({ productId: id }), onSome: Effect.succeed }),
      )

    // Products reference their brand (a foreign key in SQL), so a missing brand is a broken store.
    const detailOf = (product: Product) =>
      Effect.flatMap(
        brands.findById(product.brandId),
        Option.match({
          onNone: () =>
            new PersistenceUnavailable({ reason: `brand ${product.brandId} of product ${product.id} is missing` }),
          onSome: (brand) => Effect.succeed(toProductDetail(product, brand)),
        }),
      )

    const productUpdated = (productId: ProductId) =>
      emit("ProductUpdated", { productId, aggregateKey: aggregateKey.product(productId) })

    return CatalogService.of({
      createBrand: (input) =>
        Effect.gen(function* () {
          const valid = yield* validateBrand(input)
          const createdAt = yield* now
          return yield* tx.withTransaction(
            Effect.gen(function* () {
              const brand = yield* brands.insert({ ...valid, active: true, createdAt })
              yield* emit("BrandCreated", { brandId: brand.id, aggregateKey: aggregateKey.brand(brand.id) })
              return brand
            }),
          )
        }),

      getBrand,

      setBrandActive: (id, active) =>
        tx.withTransaction(
          Effect.gen(function* () {
            const before = yield* getBrand(id)
            const brand = yield* brands.setActive(id, active)
            // like a second like, switching to the state it is in changes nothing and says nothing
            if (before.active !== active) {
              yield* emit("BrandActivationChanged", { brandId: id, active, aggregateKey: aggregateKey.brand(id) })
            }
            return brand
          }),
        ),

      createProduct: (input) =>
        Effect.gen(function* () {
          const valid = yield* validateProduct(input)
          const createdAt = yield* now
          return yield* tx.withTransaction(
            Effect.gen(function* () {
              const brand = yield* getBrand(input.brandId)
              const product = yield* products.insert({ ...valid, brandId: brand.id, createdAt })
              yield* emit("ProductCreated", {
                productId: product.id,
                brandId: brand.id,
                aggregateKey: aggregateKey.product(product.id),
              })
              return toProductDetail(product, brand)
            }),
          )
        }),

      updateProduct: (id, input) =>
        Effect.gen(function* () {
          const changes = yield* validateChanges(input)
          if (Object.keys(changes).length === 0) return yield* detailById(id)
          return yield* tx.withTransaction(
            Effect.gen(function* () {
              const product = yield* products.update(id, changes)
              yield* productUpdated(id)
              return yield* detailOf(product)
            }),
          )
        }),

      adjustStock: (id, delta) =>
        Effect.gen(function* () {
          const valid = yield* validateDelta(delta)
          return yield* tx.withTransaction(
            Effect.gen(function* () {
              const stockAfter = yield* products.adjustStock(id, valid)
              yield* emit("StockAdjusted", {
                productId: id,
                delta: valid,
                stockAfter,
                aggregateKey: aggregateKey.product(id),
              })
              return yield* detailById(id)
            }),
          )
        }),

      // A view changes no state, so the read needs no transaction, and the view is only counted.
      getProductDetail: (id) => Effect.tap(detailById(id), () => views.record(id)),

      listProducts: (query) => products.list(query),
    })
  }),
)
