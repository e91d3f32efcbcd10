import {
  CouponTemplateRepository,
  type DomainEvent,
  EventOutbox,
  EventPublisher,
  IssuedCouponRepository,
  type LedgerEntry,
  makeOutboxRelay,
  newEvent,
  OrderId,
  OutboxRelayStore,
  PageRequest,
  PointService,
  PointWalletRepository,
  ProductId,
  ProductRepository,
  type Quantity,
  Transactor,
  UserId,
} from "@commerce-core/domain"
import { SqlClient } from "@effect/sql/SqlClient"
import { it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { expect } from "vitest"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"
import { IdGeneratorUuid, mysqlWorld, seedProduct } from "./support/MysqlWorld.js"

const everyEntry = (userId: UserId) =>
  Effect.flatMap(PointService, (points) => points.history(userId, new PageRequest({ page: 0, size: 100 }))).pipe(
    Effect.flatMap((first) =>
      Effect.forEach(
        Array.from({ length: first.totalPages }, (_, page) => page),
        (page) =>
          Effect.flatMap(PointService, (points) => points.history(userId, new PageRequest({ page, size: 100 }))),
      ),
    ),
    Effect.map((pages) => pages.flatMap((page) => page.items as Array<LedgerEntry>)),
  )

describeMysql("MySQL adapters under real concurrency", () => {
  const db = useTestDatabase({ poolSize: 24 })
  const world = () => db.fresh(mysqlWorld())

  it.live("500 racing decrements of a product with stock 100: exactly 100 succeed and stock ends at 0", () =>
    Effect.gen(function* () {
      const products = yield* ProductRepository
      const product = yield* seedProduct({ price: 1_000, stock: 100 })
      const results = yield* Effect.all(
        Array.from({ length: 500 }, () => Effect.either(products.decrementStock(product.id, 1 as Quantity))),
        { concurrency: "unbounded" },
      )
      const won = results.filter(Either.isRight)
      expect(won).toHaveLength(100)
      expect(results.filter((r) => Either.isLeft(r) && r.left._tag === "InsufficientStock")).toHaveLength(400)
      expect(new Set(won.map((r) => r.right))).toEqual(new Set(Array.from({ length: 100 }, (_, i) => i)))
      const after = yield* products.findById(product.id)
      expect(after._tag === "Some" && after.value.stock).toBe(0)
    }).pipe(Effect.provide(world())),
  )

  it.live("1,000 racing charges and uses of one wallet: balance = sum of the ledger, never negative", () =>
    Effect.gen(function* () {
      const wallets = yield* PointWalletRepository
      const points = yield* PointService
      const tx = yield* Transactor
      const user = UserId.make(1)
      yield* wallets.create(user, new Date(0))
      const ops: Array<Effect.Effect<Either.Either<LedgerEntry, { readonly _tag: string }>>> = Array.from(
        { length: 1_000 },
        (_, i) =>
          i % 2 === 0
            ? Effect.either(points.charge({ userId: user, amount: 1_000 }))
            : Effect.either(
                tx.withTransaction(points.use({ userId: user, amount: 1_300 as never, orderId: OrderId.make(i) })),
              ),
      )
      const results = yield* Effect.all(ops, { concurrency: "unbounded" })
      const failures = results.filter(Either.isLeft).map((r) => r.left._tag)
      expect(new Set(failures)).toEqual(failures.length === 0 ? new Set() : new Set(["InsufficientPoints"]))
      const usesWon = results.filter((r, i) => i % 2 === 1 && Either.isRight(r)).length
      const balance = yield* points.balance(user)
      expect(balance).toBe(500 * 1_000 - usesWon * 1_300)
      const ledger = (yield* everyEntry(user)).reverse()
      expect(ledger).toHaveLength(500 + usesWon)
      let running = 0
      for (const entry of ledger) {
        running += entry.type === "USE" ? -entry.amount : entry.amount
        expect(entry.balanceAfter).toBe(running)
        expect(running).toBeGreaterThanOrEqual(0)
      }
      expect(running).toBe(balance)
    }).pipe(Effect.provide(world())),
  )

  it.live("one coupon in 50 racing uses: exactly one wins, the others see it used", () =>
    Effect.gen(function* () {
      const templates = yield* CouponTemplateRepository
      const coupons = yield* IssuedCouponRepository
      const template = yield* templates.insert({
        name: "Ten off",
        type: "FIXED",
        value: 10,
        issueStartsAt: new Date(0),
        issueEndsAt: new Date(Date.UTC(2100, 0, 1)),
        validDays: 30,
        createdAt: new Date(0),
      })
      const now = new Date()
      const coupon = yield* coupons.issue(template, UserId.make(7), now)
      const results = yield* Effect.all(
        Array.from({ length: 50 }, (_, i) =>
          Effect.either(coupons.markUsed(coupon.id, UserId.make(7), OrderId.make(i + 1), now)),
        ),
        { concurrency: "unbounded" },
      )
      const won = results.filter(Either.isRight)
      expect(won).toHaveLength(1)
      expect(results.filter((r) => Either.isLeft(r) && r.left._tag === "CouponAlreadyUsed")).toHaveLength(49)
      const stored = yield* coupons.findById(coupon.id)
      expect(stored._tag === "Some" && stored.value.usedByOrderId).toBe(won[0]?.right.usedByOrderId)
    }).pipe(Effect.provide(world())),
  )

  it.live("two relays running while writers append publish every event exactly once, in order per aggregate", () =>
    Effect.gen(function* () {
      const outbox = yield* EventOutbox
      const tx = yield* Transactor
      const store = yield* OutboxRelayStore
      const published: Array<DomainEvent> = []
      const publisher = Layer.succeed(
        EventPublisher,
        EventPublisher.of({
          publish: (events) =>
            Effect.sync(() => {
              published.push(...events)
            }).pipe(Effect.zipRight(Effect.sleep("1 millis"))),
        }),
      )
      const relays = yield* Effect.all([makeOutboxRelay, makeOutboxRelay], { concurrency: 2 }).pipe(
        Effect.provide(Layer.mergeAll(publisher, IdGeneratorUuid, Layer.succeed(OutboxRelayStore, store))),
      )
      const appendBatch = (batch: number) =>
        Effect.gen(function* () {
          const events = yield* Effect.forEach(
            Array.from({ length: 5 }, (_, i) => (batch * 5 + i) % 17),
            (product) =>
              newEvent("ProductViewed", {
                views: 1,
                aggregateKey: `product:${product + 1}`,
                productId: ProductId.make(product + 1),
              }),
          ).pipe(Effect.provide(IdGeneratorUuid))
          yield* tx.withTransaction(outbox.append(events))
          return events
        })
      let writing = true
      const writers = Effect.all(
        Array.from({ length: 120 }, (_, batch) => appendBatch(batch)),
        { concurrency: 8 },
      ).pipe(Effect.ensuring(Effect.sync(() => (writing = false))))
      const relayUntilDrained = (relay: (typeof relays)[number]) =>
        Effect.gen(function* () {
          while (true) {
            const round = yield* relay.relayOnce
            if (round.claimed === 0) {
              if (!writing && (yield* store.counts).pending === 0) return
              yield* Effect.sleep("5 millis")
            }
          }
        })
      const [written] = yield* Effect.all([writers, relayUntilDrained(relays[0]), relayUntilDrained(relays[1])], {
        concurrency: "unbounded",
      })
      const all = written.flat()
      expect(published.map((e) => e.eventId).sort()).toEqual(all.map((e) => e.eventId).sort())
      const sql = yield* SqlClient
      const rows = yield* sql<{ event_id: string; aggregate_key: string }>`SELECT event_id, aggregate_key
        FROM outbox_event ORDER BY sequence`
      const inOutboxOrder = new Map<string, Array<string>>()
      for (const row of rows)
        inOutboxOrder.set(row.aggregate_key, [...(inOutboxOrder.get(row.aggregate_key) ?? []), row.event_id])
      const inPublishOrder = new Map<string, Array<string>>()
      for (const e of published)
        inPublishOrder.set(e.aggregateKey, [...(inPublishOrder.get(e.aggregateKey) ?? []), e.eventId])
      expect(inPublishOrder).toEqual(inOutboxOrder)
      expect(yield* store.counts).toEqual({ pending: 0, claimed: 0 })
    }).pipe(Effect.provide(world())),
  )
})
