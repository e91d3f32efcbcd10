import { PersistenceUnavailable } from "@commerce-core/domain"
import { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { Effect, FiberRef, Option } from "effect"
import * as fc from "fast-check"
import { classify, currentAttempt, duplicateKeyName, toUnavailable } from "../src/internal/SqlFailure.js"
import { backoffCeiling, defaultRetryPolicy } from "../src/internal/Transaction.js"

const driverError = (cause: Record<string, unknown>) => new SqlError({ cause, message: "Failed to execute statement" })

describe("driver error classification", () => {
  it("classifies by errno, the same for MariaDB and MySQL 8", () => {
    const cases: Array<[number, string]> = [
      [1213, "deadlock"],
      [1205, "lock-timeout"],
      [1062, "duplicate-key"],
      [1586, "duplicate-key"],
      [1452, "foreign-key"],
      [1451, "foreign-key"],
      [1264, "out-of-range"],
      [1690, "out-of-range"],
      [4025, "out-of-range"],
      [3819, "out-of-range"],
      [2013, "unavailable"],
      [2006, "unavailable"],
      [1040, "unavailable"],
      [1927, "unavailable"],
      [4031, "unavailable"],
      [1064, "other"],
      [1146, "other"],
    ]
    for (const [errno, kind] of cases) expect([errno, classify(driverError({ errno }))]).toEqual([errno, kind])
  })

  it("treats connection failures without an errno as unavailable", () => {
    for (const code of ["ECONNREFUSED", "PROTOCOL_CONNECTION_LOST", "ETIMEDOUT", "POOL_CLOSED"]) {
      expect(classify(driverError({ code }))).toBe("unavailable")
    }
    expect(classify(new SqlError({ message: "MysqlClient: Failed to connect" }))).toBe("unavailable")
  })

  it("names the unique key of a duplicate entry, with or without the table prefix", () => {
    expect(
      duplicateKeyName(driverError({ errno: 1062, sqlMessage: "Duplicate entry 'a' for key 'uq_users_login_id'" })),
    ).toBe("uq_users_login_id")
    expect(
      duplicateKeyName(
        driverError({ errno: 1062, sqlMessage: "Duplicate entry '1-2' for key 'product_like.uq_product_like'" }),
      ),
    ).toBe("uq_product_like")
    expect(duplicateKeyName(driverError({ errno: 1213 }))).toBeUndefined()
  })

  it.effect("maps to PersistenceUnavailable and flags the running transaction only for retryable errors", () =>
    Effect.gen(function* () {
      for (const [errno, retryable] of [
        [1213, true],
        [1205, true],
        [1062, false],
        [2013, false],
      ] as const) {
        const attempt = { retryable: false }
        const error = yield* Effect.flip(
          Effect.locally(toUnavailable(driverError({ errno })), currentAttempt, Option.some(attempt)),
        )
        expect(error).toBeInstanceOf(PersistenceUnavailable)
        expect(attempt.retryable).toBe(retryable)
      }
      expect(Option.isNone(yield* FiberRef.get(currentAttempt))).toBe(true)
    }),
  )

  it("backs off within [0, min(cap, base * 2^n)], never decreasing and never above the cap (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100 }),
        (base, cap, n) => {
          const policy = { ...defaultRetryPolicy, baseDelayMillis: base, maxDelayMillis: cap }
          const ceiling = backoffCeiling(policy, n)
          expect(ceiling).toBeLessThanOrEqual(cap)
          expect(ceiling).toBeGreaterThan(0)
          expect(backoffCeiling(policy, n + 1)).toBeGreaterThanOrEqual(ceiling)
          if (n === 0) expect(ceiling).toBe(Math.min(base, cap))
        },
      ),
    )
  })
})
