import type { PointLimits } from "@commerce-core/domain"
import { fc } from "@fast-check/vitest"

export type Op =
  | { readonly kind: "charge"; readonly user: number; readonly amount: number; readonly key: string | undefined }
  | { readonly kind: "use"; readonly user: number; readonly amount: number; readonly order: number }
  | { readonly kind: "refund"; readonly user: number; readonly amount: number; readonly order: number }

/** Small limits, so that random operations hit every edge: below/above a charge, the ceiling. */
export const limits = {
  minCharge: 1_000,
  maxCharge: 50_000,
  maxBalance: 100_000,
} as PointLimits

export const opArbitrary = (users: number): fc.Arbitrary<Op> => {
  const user = fc.integer({ min: 1, max: users })
  return fc.oneof(
    fc.record({
      kind: fc.constant("charge" as const),
      user,
      amount: fc.oneof(fc.integer({ min: 0, max: 60_000 }), fc.constantFrom(999, 1_000, 50_000, 50_001)),
      key: fc.constant(undefined),
    }),
    // Few keys and few amounts, so that keys are replayed and reused with other amounts.
    fc.record({
      kind: fc.constant("charge" as const),
      user,
      amount: fc.constantFrom(999, 1_000, 5_000, 50_000),
      key: fc.constantFrom("a", "b", "c"),
    }),
    fc.record({
      kind: fc.constant("use" as const),
      user,
      amount: fc.oneof(fc.integer({ min: 0, max: 40_000 }), fc.constantFrom(0, 500, 1_000)),
      order: fc.integer({ min: 1, max: 6 }),
    }),
    fc.record({
      kind: fc.constant("refund" as const),
      user,
      amount: fc.oneof(fc.integer({ min: 0, max: 40_000 }), fc.constantFrom(0, 500, 1_000)),
      order: fc.integer({ min: 1, max: 6 }),
    }),
  )
}

/** What one operation should answer: the balance it leaves, or the tag of the error. */
export type Expected = { readonly ok: number } | { readonly error: string }

/** A reference implementation of one wallet's rules, applied one operation at a time. */
export class WalletModel {
  balance = 0
  private readonly keys = new Map<string, { amount: number; balanceAfter: number }>()
  private readonly orders = new Map<number, { used: number; refunded: boolean }>()

  apply(op: Op): Expected {
    switch (op.kind) {
      case "charge": {
        if (op.amount < limits.minCharge || op.amount > limits.maxCharge) return { error: "InvalidChargeAmount" }
        const earlier = op.key === undefined ? undefined : this.keys.get(op.key)
        if (earlier) return earlier.amount === op.amount ? { ok: earlier.balanceAfter } : { error: "ChargeKeyReused" }
        if (this.balance + op.amount > limits.maxBalance) return { error: "PointBalanceLimitExceeded" }
        this.balance += op.amount
        if (op.key !== undefined) this.keys.set(op.key, { amount: op.amount, balanceAfter: this.balance })
        return { ok: this.balance }
      }
      case "use": {
        if (op.amount > this.balance) return { error: "InsufficientPoints" }
        this.balance -= op.amount
        const usage = this.orders.get(op.order) ?? { used: 0, refunded: false }
        this.orders.set(op.order, { ...usage, used: usage.used + op.amount })
        return { ok: this.balance }
      }
      case "refund": {
        const usage = this.orders.get(op.order) ?? { used: 0, refunded: false }
        if (usage.refunded) return { ok: this.balance }
        if (op.amount > usage.used) return { error: "RefundExceedsUsage" }
        this.balance += op.amount
        this.orders.set(op.order, { ...usage, refunded: true })
        return { ok: this.balance }
      }
    }
  }
}
