import {
  INBOX_TABLE,
  MemoryDatabase,
  OutboxTableMemory,
  PasswordHasherScryptWith,
} from "@commerce-core/adapters-memory"
import { CatalogService, drainOutbox, ProductViewTally } from "@commerce-core/domain"
import { describe, expect, it } from "@effect/vitest"
import { fc } from "@fast-check/vitest"
import { Duration, Effect, Either, Layer, TestClock } from "effect"
import { makeEmbeddedLayer } from "../../src/embedded/EmbeddedLayer.js"
import {
  inboxRetention,
  makeMemoryRetentionJobs,
  makeMysqlRetentionJobs,
  memoryRetentionSettings,
} from "../../src/embedded/RetentionJobs.js"

const embedded = makeEmbeddedLayer({
  relayDaemon: false,
  passwordHasher: PasswordHasherScryptWith({ logN: 4, r: 1, p: 1 }),
})
const withRetention = Layer.merge(
  embedded,
  makeMemoryRetentionJobs({ purgeEvery: "1 minute", keepPublishedFor: "10 minutes" }).pipe(Layer.provide(embedded)),
)

const outboxState = Effect.gen(function* () {
  const db = yield* MemoryDatabase
  const table = yield* OutboxTableMemory
  const entries = yield* db.read((view) => view.values(table))
  return {
    published: entries.filter((e) => e.publishedAt !== undefined).length,
    pending: entries.filter((e) => e.publishedAt === undefined).length,
  }
})

describe("memory retention job", () => {
  it.scoped("deletes published outbox entries once they are older than the retention, never pending ones", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-03-01T00:00:00Z"))
      const context = yield* Layer.build(withRetention)
      const run = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof embedded>>) =>
        Effect.provide(effect, context)
      const catalog = yield* run(CatalogService)
      for (let i = 0; i < 5; i++) yield* catalog.createBrand({ name: `B${i}`, description: "" })
      yield* run(drainOutbox)
      expect(yield* run(outboxState)).toEqual({ published: 5, pending: 0 })

      yield* TestClock.adjust("5 minutes")
      yield* catalog.createBrand({ name: "late", description: "" })
      yield* run(drainOutbox)
      yield* catalog.createBrand({ name: "pending", description: "" })
      expect(yield* run(outboxState)).toEqual({ published: 6, pending: 1 })

      yield* TestClock.adjust("6 minutes") // the first five are now 11 minutes old, "late" 6
      expect(yield* run(outboxState)).toEqual({ published: 1, pending: 1 })

      yield* TestClock.adjust("5 minutes")
      expect(yield* run(outboxState)).toEqual({ published: 0, pending: 1 })
    }),
  )
})

const inboxRows = Effect.flatMap(MemoryDatabase, (db) => db.read((view) => view.values(db.table(INBOX_TABLE)).length))

describe("memory inbox retention job", () => {
  it.scoped("deletes consumers' inbox rows once older than the outbox retention plus an hour", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-03-01T00:00:00Z"))
      const context = yield* Layer.build(withRetention)
      const run = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof embedded>>) =>
        Effect.provide(effect, context)
      const catalog = yield* run(CatalogService)
      const brand = yield* catalog.createBrand({ name: "B", description: "" })
      const product = yield* catalog.createProduct({
        brandId: brand.id,
        name: "P",
        description: "",
        price: 1000,
        stock: 1,
        maxOrderQuantity: 1,
      })
      for (let i = 0; i < 3; i++) yield* catalog.getProductDetail(product.product.id)
      expect(yield* run(Effect.flatMap(ProductViewTally, (tally) => tally.flush))).toBe(1)
      yield* run(drainOutbox)
      const handled = yield* run(inboxRows)
      expect(handled).toBeGreaterThanOrEqual(2) // the views reach the metrics and ranking consumers

      yield* TestClock.adjust("70 minutes") // the rows are 70 minutes old: kept (10 minutes + 1 hour)
      expect(yield* run(inboxRows)).toBe(handled)
      yield* TestClock.adjust("2 minutes")
      expect(yield* run(inboxRows)).toBe(0)
    }),
  )
})

describe("inbox retention rule", () => {
  it("accepts exactly the inbox retentions longer than the outbox retention plus the redelivery window", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 30_000_000 }),
        (published, window, handled) => {
          const result = inboxRetention({
            purgeEvery: "1 minute",
            keepPublishedFor: Duration.millis(published),
            redeliveryWindow: Duration.millis(window),
            keepHandledFor: Duration.millis(handled),
          })
          expect(Either.isRight(result)).toBe(handled > published + window)
          if (Either.isRight(result)) expect(Duration.toMillis(result.right)).toBe(handled)
        },
      ),
    )
  })

  it("defaults to the outbox retention plus one hour, which satisfies the rule", () => {
    expect(inboxRetention({ purgeEvery: "1 minute", keepPublishedFor: "10 minutes" })).toEqual(
      Either.right(Duration.minutes(70)),
    )
  })

  it("the embedded default's short retention satisfies the rule: 2 minutes of inbox rows", () => {
    expect(inboxRetention(memoryRetentionSettings)).toEqual(Either.right(Duration.minutes(2)))
  })

  it.effect("the MySQL jobs refuse to start with an inbox retention that breaks the rule, naming it", () =>
    Effect.gen(function* () {
      const layer = makeMysqlRetentionJobs({
        purgeEvery: "1 minute",
        keepPublishedFor: "10 minutes",
        keepHandledFor: "10 minutes",
      })
      // The check runs before the SqlClient is used, so no database is needed to see it fail.
      const exit = yield* Effect.exit(Effect.scoped(Layer.build(layer as Layer.Layer<never>)))
      expect(exit._tag).toBe("Failure")
      expect(String(exit)).toContain("keepHandledFor (10m) must exceed")
    }),
  )
})
