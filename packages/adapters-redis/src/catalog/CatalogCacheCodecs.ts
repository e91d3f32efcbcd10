import { Brand, BrandId, Money, Product, ProductId, StockLevel } from "@commerce-core/domain"
import { Either, Option, Schema } from "effect"

/** Encodes to JSON and decodes back through the Schema; an undecodable value reads as a miss. */
const jsonCodec = <A, I>(schema: Schema.Schema<A, I>) => {
  const encode = Schema.encodeSync(Schema.parseJson(schema))
  const decode = Schema.decodeUnknownEither(Schema.parseJson(schema))
  return { encode: (a: A) => encode(a), decode: (s: string) => Option.fromNullable(Either.getOrUndefined(decode(s))) }
}

export const productCodec = jsonCodec(Product)

export const brandCodec = jsonCodec(Brand)

const ListItem = Schema.Struct({
  id: ProductId,
  name: Schema.String,
  price: Money.Money,
  brandId: BrandId,
  brandName: Schema.String,
  likeCount: Schema.Number,
  stock: StockLevel,
})

export const listingPageCodec = jsonCodec(
  Schema.Struct({
    items: Schema.Array(ListItem),
    page: Schema.Number,
    size: Schema.Number,
    totalElements: Schema.Number,
    totalPages: Schema.Number,
    hasNext: Schema.Boolean,
  }),
)
