import { type Cart, CartService, LikeService, PageRequest, ProductId } from "@commerce-core/domain"
import { Effect, Schema } from "effect"
import { idParam, PageQuery } from "../routing/Fields.js"
import { route } from "../routing/Route.js"
import { PageOf } from "./Dto.js"

const ProductPath = Schema.Struct({ productId: idParam(ProductId) })

const LikeDto = Schema.Struct({ productId: Schema.Int, liked: Schema.Boolean })

const CartDto = Schema.Struct({
  items: Schema.Array(
    Schema.Struct({ productId: Schema.Int, name: Schema.String, price: Schema.Int, quantity: Schema.Int }),
  ),
  totalAmount: Schema.Int,
})

const toCartDto = (cart: Cart) => ({
  items: cart.items.map((i) => ({ productId: i.productId, name: i.name, price: i.price, quantity: i.quantity })),
  totalAmount: cart.totalAmount,
})

const QuantityField = Schema.Int.pipe(Schema.between(0, 1_000_000))

export const shoppingRoutes = () => [
  route({
    method: "post",
    path: "/api/v1/like/products/{productId}",
    tag: "likes",
    summary: "Likes a product (idempotent)",
    access: "user",
    params: ProductPath,
    response: LikeDto,
    handler: ({ user, params }) =>
      Effect.map(
        Effect.flatMap(LikeService, (likes) => likes.like(user.id, params.productId)),
        (r) => ({ productId: r.productId, liked: true }),
      ),
  }),
  route({
    method: "delete",
    path: "/api/v1/like/products/{productId}",
    tag: "likes",
    summary: "Unlikes a product (idempotent)",
    access: "user",
    params: ProductPath,
    response: LikeDto,
    handler: ({ user, params }) =>
      Effect.map(
        Effect.flatMap(LikeService, (likes) => likes.unlike(user.id, params.productId)),
        (r) => ({ productId: r.productId, liked: false }),
      ),
  }),
  route({
    method: "get",
    path: "/api/v1/like/products",
    tag: "likes",
    summary: "Products the caller likes, most recent first",
    access: "user",
    query: PageQuery,
    response: PageOf(Schema.Struct({ id: Schema.Int, name: Schema.String, price: Schema.Int, brandId: Schema.Int })),
    handler: ({ user, query }) =>
      Effect.flatMap(LikeService, (likes) => likes.likedProducts(user.id, PageRequest.make(query))),
  }),
  route({
    method: "get",
    path: "/api/v1/cart",
    tag: "cart",
    summary: "The caller's cart at current prices",
    access: "user",
    response: CartDto,
    handler: ({ user }) =>
      Effect.map(
        Effect.flatMap(CartService, (cart) => cart.view(user.id)),
        toCartDto,
      ),
  }),
  route({
    method: "post",
    path: "/api/v1/cart/items",
    tag: "cart",
    summary: "Adds a product (merging with its line)",
    access: "user",
    body: Schema.Struct({ productId: ProductId, quantity: QuantityField.pipe(Schema.greaterThanOrEqualTo(1)) }),
    response: CartDto,
    handler: ({ user, body }) =>
      Effect.map(
        Effect.flatMap(CartService, (cart) => cart.add(user.id, body.productId, body.quantity)),
        toCartDto,
      ),
  }),
  route({
    method: "put",
    path: "/api/v1/cart/items/{productId}",
    tag: "cart",
    summary: "Sets a line's quantity (0 removes it)",
    access: "user",
    params: ProductPath,
    body: Schema.Struct({ quantity: QuantityField }),
    response: CartDto,
    handler: ({ user, params, body }) =>
      Effect.map(
        Effect.flatMap(CartService, (cart) => cart.setQuantity(user.id, params.productId, body.quantity)),
        toCartDto,
      ),
  }),
  route({
    method: "delete",
    path: "/api/v1/cart/items/{productId}",
    tag: "cart",
    summary: "Removes a line",
    access: "user",
    params: ProductPath,
    response: CartDto,
    handler: ({ user, params }) =>
      Effect.map(
        Effect.flatMap(CartService, (cart) => cart.remove(user.id, params.productId)),
        toCartDto,
      ),
  }),
]
