/**
 * Another service embedding Commerce Core: it signs a user up, charges points and browses the
 * catalog through the domain's use-case services, with the memory adapters as its store.
 * Swapping in MySQL means providing the MySQL layers instead; this program does not change.
 */
import {
  CartRepositoryMemory,
  CatalogMemory,
  EventOutboxMemory,
  IdGeneratorRandom,
  MemoryDatabaseLive,
  OutboxTableMemoryLive,
  PasswordHasherScrypt,
  PointWalletRepositoryMemory,
  TransactorMemory,
  UserRepositoryMemory,
} from "@commerce-core/adapters-memory"
import {
  CatalogService,
  CatalogServiceLive,
  PageRequest,
  PointPolicyDefault,
  PointService,
  PointServiceLive,
  ProductViewTallyLive,
  UserService,
  UserServiceLive,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"

/** The ports this program needs, on the memory adapters; every store shares one MemoryDatabase. */
const MemoryStores = Layer.mergeAll(
  TransactorMemory,
  EventOutboxMemory,
  UserRepositoryMemory,
  PointWalletRepositoryMemory,
  CatalogMemory,
  CartRepositoryMemory,
).pipe(
  Layer.provideMerge(OutboxTableMemoryLive),
  Layer.provideMerge(Layer.mergeAll(MemoryDatabaseLive, IdGeneratorRandom, PasswordHasherScrypt, PointPolicyDefault)),
)

/** The use cases, built once over those ports. */
export const ExampleServices = Layer.mergeAll(UserServiceLive, PointServiceLive, CatalogServiceLive).pipe(
  Layer.provideMerge(ProductViewTallyLive()),
  Layer.provideMerge(MemoryStores),
)

export const chargeAndBrowse = Effect.gen(function* () {
  const users = yield* UserService
  const points = yield* PointService
  const catalog = yield* CatalogService

  const brand = yield* catalog.createBrand({ name: "Loopers", description: "House brand" })
  for (const [name, price] of [
    ["Linen shirt", 39_000],
    ["Canvas tote", 12_000],
    ["Wool scarf", 25_000],
  ] as const) {
    yield* catalog.createProduct({ brandId: brand.id, name, description: name, price, stock: 10, maxOrderQuantity: 3 })
  }

  const user = yield* users.signUp({
    loginId: "alice01",
    email: "alice@example.com",
    gender: "FEMALE",
    birthDate: "1995-04-12",
    password: "correct horse battery",
  })
  yield* points.charge({ userId: user.id, amount: 50_000, idempotencyKey: "first-charge" })
  // A retry with the same key replays the first charge instead of charging twice.
  const replay = yield* points.charge({ userId: user.id, amount: 50_000, idempotencyKey: "first-charge" })
  const balance = yield* points.balance(user.id)

  const cheapestFirst = yield* catalog.listProducts({
    sort: "price_asc",
    page: PageRequest.make({ page: 0, size: 2 }),
  })

  return {
    user: user.loginId,
    balance,
    replayedBalance: replay.balanceAfter,
    products: cheapestFirst.items.map((p) => `${p.name} ${p.price}`),
    totalProducts: cheapestFirst.totalElements,
    hasNext: cheapestFirst.hasNext,
  }
})

export const runChargeAndBrowse = () => Effect.runPromise(chargeAndBrowse.pipe(Effect.provide(ExampleServices)))
