import {
  CouponTemplateId,
  CouponTemplateRepository,
  IssuedCouponRepository,
  type NewCouponTemplate,
  OrderId,
  UserId,
} from "@commerce-core/domain"
import { it } from "@effect/vitest"
import { Effect } from "effect"
import fc from "fast-check"
import { expect } from "vitest"
import { CouponsMysql, makeCouponIssueLedgerMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

const T0 = new Date("2026-03-01T00:00:00.000Z")
const template = (totalQuantity?: number): NewCouponTemplate => ({
  name: "ledger",
  type: "FIXED",
  value: 1_000,
  ...(totalQuantity === undefined ? {} : { totalQuantity }),
  issueStartsAt: T0,
  issueEndsAt: new Date(T0.getTime() + 30 * 86_400_000),
  validDays: 7,
  createdAt: T0,
})

const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b)

describeMysql("CouponIssueLedgerMysql", () => {
  const db = useTestDatabase({ poolSize: 30 })
  const layer = () => db.fresh(CouponsMysql)

  it.live("lists exactly the holders of the template asked about", () =>
    Effect.gen(function* () {
      const templates = yield* CouponTemplateRepository
      const coupons = yield* IssuedCouponRepository
      const ledger = yield* makeCouponIssueLedgerMysql
      const a = yield* templates.insert(template())
      const b = yield* templates.insert(template())
      for (const n of [5, 3, 9]) yield* coupons.issue(a, UserId.make(n), T0)
      for (const n of [3, 4]) yield* coupons.issue(b, UserId.make(n), T0)
      expect(yield* ledger.holders(a.id)).toEqual([3, 5, 9])
      expect(yield* ledger.holders(b.id)).toEqual([3, 4])
      expect(yield* ledger.holders(CouponTemplateId.make(999_999))).toEqual([])
      // A used coupon still counts: its holder can never be issued another of the template.
      const held = yield* coupons.issue(a, UserId.make(7), T0)
      yield* coupons.markUsed(held.id, UserId.make(7), OrderId.make(1), T0)
      expect(yield* ledger.holders(a.id)).toEqual([3, 5, 7, 9])
    }).pipe(Effect.provide(layer())),
  )

  it.live("after hundreds of racing issues on a limited template, lists exactly the winners", () =>
    Effect.gen(function* () {
      const templates = yield* CouponTemplateRepository
      const coupons = yield* IssuedCouponRepository
      const ledger = yield* makeCouponIssueLedgerMysql
      const limited = yield* templates.insert(template(40))
      const users = Array.from({ length: 300 }, (_, i) => UserId.make((i % 150) + 1))
      const outcomes = yield* Effect.all(
        users.map((userId) => Effect.either(coupons.issue(limited, userId, T0))),
        { concurrency: "unbounded" },
      )
      const winners = outcomes.flatMap((o, i) => (o._tag === "Right" ? [users[i] as number] : []))
      expect(winners).toHaveLength(40)
      expect(new Set(winners).size).toBe(40)
      expect(yield* ledger.holders(limited.id)).toEqual(sorted(winners))
    }).pipe(Effect.provide(layer())),
  )

  it.live("holders equal the set of users issued to, for any sequence of issues (property)", () =>
    Effect.gen(function* () {
      const templates = yield* CouponTemplateRepository
      const coupons = yield* IssuedCouponRepository
      const ledger = yield* makeCouponIssueLedgerMysql
      const sample = fc.sample(fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 40 }), { numRuns: 15, seed: 42 })
      for (const issues of sample) {
        const t = yield* templates.insert(template())
        for (const n of issues) yield* Effect.either(coupons.issue(t, UserId.make(n), T0))
        expect(yield* ledger.holders(t.id)).toEqual(sorted(new Set(issues)))
      }
    }).pipe(Effect.provide(layer())),
  )
})
