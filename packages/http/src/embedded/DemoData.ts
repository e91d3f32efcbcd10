import { CatalogService, CouponService, PageRequest } from "@commerce-core/domain"
import { Clock, Effect } from "effect"

const brands = [
  { name: "Loopers", description: "Everyday basics" },
  { name: "Hanok Living", description: "Home and kitchen" },
  { name: "Seoul Runner", description: "Running gear" },
  { name: "Jeju Green", description: "Tea and snacks" },
  { name: "Pixel Works", description: "Gadgets and accessories" },
]

const kinds = ["T-shirt", "Mug", "Sneakers", "Green tea", "Charger", "Hoodie", "Bowl", "Cap", "Cookies", "Cable"]

/** A few brands, 50 products and a coupon anyone may issue, so that a fresh server has something to sell. */
export const seedDemoData = Effect.gen(function* () {
  const catalog = yield* CatalogService
  const coupons = yield* CouponService
  const created = yield* Effect.forEach(brands, (brand) => catalog.createBrand(brand))
  for (let i = 0; i < 50; i++) {
    const brand = created[i % created.length]!
    const kind = kinds[i % kinds.length]!
    yield* catalog.createProduct({
      brandId: brand.id,
      name: `${brand.name} ${kind} #${i + 1}`,
      description: `A ${kind.toLowerCase()} from ${brand.name}.`,
      price: 1_000 * (5 + ((i * 7) % 46)),
      stock: 100 + ((i * 13) % 400),
      maxOrderQuantity: 10,
    })
  }
  const now = yield* Clock.currentTimeMillis
  const coupon = yield* coupons.createTemplate({
    name: "Welcome 5,000 KRW off",
    type: "FIXED",
    value: 5_000,
    minOrderAmount: 20_000,
    totalQuantity: 1_000,
    issueStartsAt: new Date(now - 60_000),
    issueEndsAt: new Date(now + 365 * 24 * 3600 * 1000),
    validDays: 30,
  })
  return { brands: created.length, products: 50, couponId: coupon.id }
})

/**
 * Seeds the demo data only into a store whose catalog lists no product (a fresh database);
 * a restarted server on a durable store keeps what it has. Two processes starting together
 * on an empty database may both seed: start one first, or set SEED_DEMO_DATA=false.
 */
export const seedDemoDataIfEmpty = Effect.gen(function* () {
  const catalog = yield* CatalogService
  const first = yield* catalog.listProducts({ sort: "latest", page: new PageRequest({ page: 0, size: 1 }) })
  if (first.totalElements > 0) return { seeded: false as const, products: first.totalElements }
  return { seeded: true as const, ...(yield* seedDemoData) }
})
