import { fc, test } from "@fast-check/vitest"
import { ConfigProvider, Effect, Either, Exit, Option, Schema } from "effect"
import { describe, expect } from "vitest"
import {
  defaultPointLimits,
  LedgerEntry,
  Money,
  makePointLimits,
  type OrderId,
  PointPolicy,
  PointPolicyFromConfig,
  signedAmount,
} from "../../src/index.js"

const readPolicy = (env: Record<string, string>) =>
  Effect.runSyncExit(
    PointPolicy.pipe(
      Effect.provide(PointPolicyFromConfig),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
    ),
  )

describe("PointPolicy", () => {
  test("defaults to DOMAIN.md's limits", () => {
    expect(defaultPointLimits).toEqual({ minCharge: 1_000, maxCharge: 10_000_000, maxBalance: 1_000_000_000 })
    expect(readPolicy({})).toEqual(Exit.succeed(defaultPointLimits))
  })

  test("reads overrides from configuration", () => {
    const exit = readPolicy({ POINT_MIN_CHARGE: "500", POINT_MAX_CHARGE: "2000", POINT_MAX_BALANCE: "5000" })
    expect(exit).toEqual(Exit.succeed({ minCharge: 500, maxCharge: 2_000, maxBalance: 5_000 }))
  })

  test("refuses incoherent configuration at start-up", () => {
    expect(Exit.isFailure(readPolicy({ POINT_MIN_CHARGE: "0" }))).toBe(true)
    expect(Exit.isFailure(readPolicy({ POINT_MIN_CHARGE: "20000000" }))).toBe(true)
    expect(Exit.isFailure(readPolicy({ POINT_MAX_BALANCE: "100" }))).toBe(true)
    expect(Exit.isFailure(readPolicy({ POINT_MAX_CHARGE: "abc" }))).toBe(true)
  })

  test.prop([
    fc.integer({ min: -10, max: 100 }),
    fc.integer({ min: -10, max: 100 }),
    fc.integer({ min: -10, max: 100 }),
  ])("accepts limits exactly when 1 <= minCharge <= maxCharge <= maxBalance", (minCharge, maxCharge, maxBalance) => {
    const coherent = minCharge >= 1 && minCharge <= maxCharge && maxCharge <= maxBalance
    expect(Either.isRight(makePointLimits({ minCharge, maxCharge, maxBalance }))).toBe(coherent)
  })
})

describe("LedgerEntry", () => {
  const entry = (type: LedgerEntry["type"], amount: number, orderId?: number) =>
    new LedgerEntry({
      type,
      amount: Money.make(amount),
      balanceAfter: Money.make(amount),
      orderId: Option.fromNullable(orderId as OrderId | undefined),
      createdAt: new Date("2026-01-10T00:00:00.000Z"),
    })

  test("encodes an absent order id as null and decodes it back", () => {
    const encoded = Schema.encodeSync(LedgerEntry)(entry("CHARGE", 1_000))
    expect(encoded).toEqual({
      type: "CHARGE",
      amount: 1_000,
      balanceAfter: 1_000,
      orderId: null,
      createdAt: "2026-01-10T00:00:00.000Z",
    })
    expect(Schema.decodeUnknownSync(LedgerEntry)(encoded)).toEqual(entry("CHARGE", 1_000))
    expect(Schema.encodeSync(LedgerEntry)(entry("USE", 500, 9)).orderId).toBe(9)
  })

  test.prop([fc.constantFrom("CHARGE" as const, "USE" as const, "REFUND" as const), fc.integer({ min: 0, max: 1e9 })])(
    "counts USE against the balance and CHARGE and REFUND towards it",
    (type, amount) => {
      expect(signedAmount(entry(type, amount))).toBe(type === "USE" ? -amount : amount)
    },
  )
})
