import { Brand, BrandId, Money, Product, ProductId, StockLevel } from "@commerce-core/domain"
import { Either, Option, Schema } from "effect"

/** How many distinct cached texts a codec remembers the decoding of. */
const DECODED_TEXTS = 1_000

/**
 * Encodes to JSON and decodes back through the Schema; an undecodable value reads as a miss.
 * A hot key returns the same text on every hit until it changes, so the decodings of recent
 * texts are kept (values are immutable, so sharing one is safe): a hit then costs a map
 * lookup instead of a JSON parse and a Schema decode.
 */
const jsonCodec = <A, I>(schema: Schema.Schema<A, I>) => {
  const encode = Schema.encodeSync(Schema.parseJson(schema))
  const decode = Schema.decodeUnknownEither(Schema.parseJson(schema))
  const decoded = new Map<string, Option.Option<A>>()
  return {
    encode: (a: A) => encode(a),
    decode: (s: string): Option.Option<A> => {
      const known = decoded.get(s)
      if (known !== undefined) return known
      const value = Option.fromNullable(Either.getOrUndefined(decode(s)))
      if (decoded.size >= DECODED_TEXTS) decoded.delete(decoded.keys().next().value as string)
      decoded.set(s, value)
      return value
    },
  }
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
