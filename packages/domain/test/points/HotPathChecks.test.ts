import { fc, test } from "@fast-check/vitest"
import { Effect, Schema, TestClock, TestContext } from "effect"
import { describe, expect, it } from "vitest"
import {
  type DomainEvent,
  type EventId,
  isEntityId,
  isQuantity,
  isStockLevel,
  Money,
  makeIdGenerator,
  OrderId,
  ProductId,
  Quantity,
  StockLevel,
  stampEvent,
  stampEvents,
  UserId,
} from "../../src/index.js"

// Numbers around every boundary the schemas draw, plus values that are not numbers at all.
const anyValue = fc.oneof(
  fc.integer({ min: -10, max: 10 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    -0,
    0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ),
  fc.string(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
)

describe("hot-path checks agree with the schemas they stand for", () => {
  test.prop([anyValue], { numRuns: 2_000 })("Money.isMoney = Schema.is(Money)", (value) => {
    expect(Money.isMoney(value)).toBe(Schema.is(Money.Money)(value))
  })
  test.prop([anyValue], { numRuns: 2_000 })("isQuantity = Schema.is(Quantity)", (value) => {
    expect(isQuantity(value)).toBe(Schema.is(Quantity)(value))
  })
  test.prop([anyValue], { numRuns: 2_000 })("isStockLevel = Schema.is(StockLevel)", (value) => {
    expect(isStockLevel(value)).toBe(Schema.is(StockLevel)(value))
  })
  test.prop([anyValue], { numRuns: 2_000 })("isEntityId = Schema.is of every entity id", (value) => {
    for (const schema of [UserId, ProductId, OrderId]) expect(isEntityId(value)).toBe(Schema.is(schema)(value))
  })
  test.prop([anyValue])("Money.make accepts exactly what the schema accepts", (value) => {
    if (Schema.is(Money.Money)(value)) expect(Money.make(value as number)).toBe(value)
    else expect(() => Money.make(value as number)).toThrow()
  })
})

const sequentialIds = () => {
  let n = 0
  return makeIdGenerator(() => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}` as EventId)
}

describe("stamping events", () => {
  it("stampEvent puts the tag, a fresh id and the clock's time on the fields", async () => {
    const ids = sequentialIds()
    const event = await Effect.runPromise(
      Effect.gen(function* () {
        yield* TestClock.setTime(1_700_000_000_000)
        return yield* stampEvent(ids, "PointsUsed", {
          aggregateKey: "user:1",
          userId: UserId.make(1),
          amount: Money.make(5),
          balanceAfter: Money.make(10),
          orderId: OrderId.make(3),
        })
      }).pipe(Effect.provide(TestContext.TestContext)),
    )
    expect(event).toEqual({
      _tag: "PointsUsed",
      eventId: "00000000-0000-4000-8000-000000000001",
      occurredAt: new Date(1_700_000_000_000),
      aggregateKey: "user:1",
      userId: 1,
      amount: 5,
      balanceAfter: 10,
      orderId: 3,
    })
  })

  test.prop([fc.array(fc.integer({ min: 1, max: 1_000 }), { maxLength: 20 }), fc.integer({ min: 0, max: 2 ** 40 })])(
    "stampEvents keeps the drafts' order and fields, one distinct id each, one time for all",
    async (userIds, now) => {
      const ids = sequentialIds()
      const drafts = userIds.map((u) => ({
        _tag: "PointsUsed" as const,
        aggregateKey: `user:${u}`,
        userId: UserId.make(u),
        amount: Money.make(u),
        balanceAfter: Money.make(0),
        orderId: OrderId.make(1),
        // A draft cannot override the stamps, whatever it carries.
        eventId: "not-an-id",
      }))
      const events: Array<DomainEvent> = await Effect.runPromise(
        Effect.zipRight(TestClock.setTime(now), stampEvents(ids, drafts)).pipe(Effect.provide(TestContext.TestContext)),
      )
      expect(events.map((e) => (e as { userId: number }).userId)).toEqual(userIds)
      expect(new Set(events.map((e) => e.eventId)).size).toBe(userIds.length)
      expect(events.every((e) => e.eventId.startsWith("00000000-0000-4000-8000-"))).toBe(true)
      expect(events.every((e) => e._tag === "PointsUsed" && e.occurredAt.getTime() === now)).toBe(true)
    },
  )
})
