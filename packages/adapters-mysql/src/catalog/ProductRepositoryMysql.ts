import {
  BrandId,
  type CatalogDescription,
  type CatalogName,
  InsufficientStock,
  InvalidInput,
  Money,
  makePage,
  Product,
  ProductId,
  type ProductListItem,
  ProductNotFound,
  ProductRepository,
  type ProductSort,
  type ProductStatus,
  type Quantity,
  StockLevel,
  toProductDetail,
} from "@commerce-core/domain"
import type { Fragment } from "@effect/sql/Statement"
import { Effect, Layer, Option } from "effect"
import { insertId, makeDb } from "../internal/Db.js"

interface ProductRow {
  readonly id: number
  readonly brand_id: number
  readonly name: string
  readonly description: string
  readonly price: number | string
  readonly stock: number | string
  readonly max_order_quantity: number | string
  readonly status: ProductStatus
  readonly like_count: number | string
  readonly created_at: Date
}

/** Rows were validated on their way in, so they are mapped without re-validation (~100 µs a row). */
const toProduct = (row: ProductRow) =>
  new Product(
    {
      id: Number(row.id) as ProductId,
      brandId: Number(row.brand_id) as BrandId,
      name: row.name as CatalogName,
      description: row.description as CatalogDescription,
      price: Number(row.price) as Money.Money,
      stock: Number(row.stock) as StockLevel,
      maxOrderQuantity: Number(row.max_order_quantity) as Quantity,
      status: row.status,
      likeCount: Number(row.like_count),
      createdAt: row.created_at,
    },
    true,
  )

/** The SQL spelling of `listingOrder` (ties by id, newest first), served by the ix_product_* indexes. */
const orderBy: Record<ProductSort, string> = {
  latest: "p.created_at DESC, p.id DESC",
  price_asc: "p.price ASC, p.id DESC",
  likes_desc: "p.like_count DESC, p.id DESC",
}

const MAX_STOCK = Number.MAX_SAFE_INTEGER

/**
 * Products, stock and like counts. Stock moves by conditional UPDATEs (`stock >= ?`, `stock + ? <=
 * max`) whose matched-row count says whether they applied; the stock after is read back in the
 * same transaction, under the row lock the UPDATE took.
 */
export const ProductRepositoryMysql = Layer.effect(
  ProductRepository,
  Effect.gen(function* () {
    const { sql, run, joined } = yield* makeDb
    const columns = sql`id, brand_id, name, description, price, stock, max_order_quantity, status, like_count, created_at`
    const detailColumns = sql`p.id, p.brand_id, p.name, p.description, p.price, p.stock, p.max_order_quantity,
      p.status, p.like_count, p.created_at`

    const findById = (id: ProductId) =>
      run(sql<ProductRow>`SELECT ${columns} FROM product WHERE id = ${id}`).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toProduct)),
      )

    /** Products matching `where`, joined with their brands, ascending id. */
    const details = (where: Fragment) =>
      run(sql<ProductRow & { brand_name: string; brand_active: number | string }>`SELECT ${detailColumns},
        b.name AS brand_name, b.active AS brand_active
        FROM product p JOIN brand b ON b.id = p.brand_id WHERE ${where} ORDER BY p.id`).pipe(
        Effect.map((rows) =>
          rows.map((row) =>
            toProductDetail(toProduct(row), {
              name: row.brand_name as CatalogName,
              active: Number(row.brand_active) === 1,
            }),
          ),
        ),
      )

    const column = (id: ProductId, name: "stock" | "like_count") =>
      run(sql<{ v: number | string }>`SELECT ${sql(name)} AS v FROM product WHERE id = ${id} LOCK IN SHARE MODE`).pipe(
        Effect.map((rows) => (rows[0] === undefined ? Option.none<number>() : Option.some(Number(rows[0].v)))),
      )

    const existing = (id: ProductId, name: "stock" | "like_count") =>
      Effect.flatMap(column(id, name), (v) =>
        Option.isSome(v) ? Effect.succeed(v.value) : Effect.fail(new ProductNotFound({ productId: id })),
      )

    /**
     * A conditional UPDATE of one product and the read-back of `name`, sent as one multi-statement
     * round trip (the row stays locked by the UPDATE until commit, so every extra round trip here
     * is time a hot product is blocked for everyone else). `onMiss` explains a no-match.
     */
    const conditional = <E>(
      id: ProductId,
      name: "stock" | "like_count",
      update: Fragment,
      onMiss: (current: number) => E,
    ) =>
      joined(
        Effect.gen(function* () {
          const results = yield* run(
            sql`${update}; SELECT ROW_COUNT() AS matched, ${sql(name)} AS v FROM product WHERE id = ${id} LOCK IN SHARE MODE`
              .unprepared,
          )
          const row = (results[1] as ReadonlyArray<{ matched: number | string; v: number | string }> | undefined)?.[0]
          if (row === undefined) return yield* Effect.fail(new ProductNotFound({ productId: id }))
          if (Number(row.matched) === 0) return yield* Effect.fail(onMiss(Number(row.v)))
          return Number(row.v)
        }),
      )

    const addStock = (id: ProductId, delta: number, field: string) =>
      conditional(
        id,
        "stock",
        sql`UPDATE product SET stock = stock + ${delta} WHERE id = ${id} AND stock <= ${MAX_STOCK - delta}`,
        () => new InvalidInput({ field, reason: `stock of product ${id} would exceed the safe range` }),
      ).pipe(Effect.map(StockLevel.make))

    const takeStock = (id: ProductId, quantity: number) =>
      conditional(
        id,
        "stock",
        sql`UPDATE product SET stock = stock - ${quantity} WHERE id = ${id} AND stock >= ${quantity}`,
        (available) => new InsufficientStock({ productId: id, requested: quantity, available }),
      ).pipe(Effect.map(StockLevel.make))

    return ProductRepository.of({
      insert: (product) =>
        run(
          sql`INSERT INTO product ${sql.insert({
            brand_id: product.brandId,
            name: product.name,
            description: product.description,
            price: product.price,
            stock: product.stock,
            max_order_quantity: product.maxOrderQuantity,
            status: product.status,
            like_count: 0,
            created_at: product.createdAt,
          })}`.raw,
        ).pipe(Effect.map((raw) => new Product({ ...product, id: ProductId.make(insertId(raw)), likeCount: 0 }))),

      findById,

      findDetail: (id) => Effect.map(details(sql`p.id = ${id}`), (found) => Option.fromNullable(found[0])),

      findDetails: (ids) => (ids.length === 0 ? Effect.succeed([]) : details(sql.in("p.id", ids))),

      findByIds: (ids) =>
        ids.length === 0
          ? Effect.succeed([])
          : run(sql<ProductRow>`SELECT ${columns} FROM product WHERE ${sql.in("id", ids)} ORDER BY id`).pipe(
              Effect.map((rows) => rows.map(toProduct)),
            ),

      update: (id, changes) =>
        joined(
          Effect.gen(function* () {
            const set: Record<string, string | number> = {}
            if (changes.name !== undefined) set.name = changes.name
            if (changes.description !== undefined) set.description = changes.description
            if (changes.price !== undefined) set.price = changes.price
            if (changes.maxOrderQuantity !== undefined) set.max_order_quantity = changes.maxOrderQuantity
            if (changes.status !== undefined) set.status = changes.status
            if (Object.keys(set).length > 0) {
              yield* run(sql`UPDATE product SET ${sql.update(set)} WHERE id = ${id}`.raw)
            }
            const product = yield* findById(id)
            return yield* Option.isSome(product)
              ? Effect.succeed(product.value)
              : Effect.fail(new ProductNotFound({ productId: id }))
          }),
        ),

      list: (query) =>
        Effect.gen(function* () {
          const brand = query.brandId === undefined ? sql`` : sql`AND p.brand_id = ${query.brandId}`
          const rows = yield* run(sql<
            ProductRow & { brand_name: string }
          >`SELECT p.id, p.name, p.price, p.brand_id, b.name AS brand_name, p.like_count, p.stock
            FROM product p JOIN brand b ON b.id = p.brand_id
            WHERE p.status = 'ACTIVE' AND b.active = 1 ${brand}
            ORDER BY ${sql.literal(orderBy[query.sort])}
            LIMIT ${query.page.size} OFFSET ${query.page.offset}`)
          const total = yield* run(sql<{ n: number }>`SELECT COUNT(*) AS n
            FROM product p JOIN brand b ON b.id = p.brand_id
            WHERE p.status = 'ACTIVE' AND b.active = 1 ${brand}`)
          const items = rows.map(
            (row): ProductListItem => ({
              id: ProductId.make(Number(row.id)),
              name: row.name,
              price: Money.make(Number(row.price)),
              brandId: BrandId.make(Number(row.brand_id)),
              brandName: row.brand_name,
              likeCount: Number(row.like_count),
              stock: StockLevel.make(Number(row.stock)),
            }),
          )
          return makePage(items, query.page, Number(total[0]?.n ?? 0))
        }),

      decrementStock: takeStock,

      restoreStock: (id, quantity) => addStock(id, quantity, "quantity"),

      adjustStock: (id, delta) =>
        !Number.isSafeInteger(delta)
          ? Effect.flatMap(existing(id, "stock"), () =>
              Effect.fail(new InvalidInput({ field: "delta", reason: "must be an integer" })),
            )
          : delta >= 0
            ? addStock(id, delta, "delta")
            : takeStock(id, -delta),

      incrementLikeCount: (id) =>
        conditional(
          id,
          "like_count",
          sql`UPDATE product SET like_count = like_count + 1 WHERE id = ${id}`,
          () => new ProductNotFound({ productId: id }),
        ),

      decrementLikeCount: (id) =>
        conditional(
          id,
          "like_count",
          sql`UPDATE product SET like_count = GREATEST(like_count, 1) - 1 WHERE id = ${id}`,
          () => new ProductNotFound({ productId: id }),
        ),
    })
  }),
)
