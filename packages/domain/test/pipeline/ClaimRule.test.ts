import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import {
  isLeaseLive,
  type PendingLease,
  selectClaim,
  selectClaimAscending,
  validateClaim,
} from "../../src/pipeline/ClaimRule.js"

const OWNERS = ["me", "relay-b", "relay-c"] as const

const pendingArb: fc.Arbitrary<Array<PendingLease>> = fc
  .uniqueArray(
    fc.record({
      sequence: fc.integer({ min: 1, max: 200 }),
      aggregateKey: fc.constantFrom("product:1", "product:2", "order:1", "order:2"),
      lease: fc.option(fc.record({ owner: fc.constantFrom(...OWNERS), expiresAt: fc.integer({ min: 1, max: 20 }) })),
    }),
    { selector: (entry) => entry.sequence, maxLength: 30 },
  )
  .map((entries) =>
    entries.map((entry) => ({
      sequence: entry.sequence,
      aggregateKey: entry.aggregateKey,
      leaseOwner: entry.lease?.owner,
      leaseExpiresAt: entry.lease?.expiresAt ?? 0,
    })),
  )

const requestArb = fc.record({
  owner: fc.constant("me"),
  now: fc.integer({ min: 0, max: 20 }),
  batchSize: fc.integer({ min: 1, max: 12 }),
})

describe("selectClaim", () => {
  it.prop("takes at most batchSize entries, ascending, each once", [pendingArb, requestArb], ([pending, request]) => {
    const taken = selectClaim(pending, request)
    expect(taken.length).toBeLessThanOrEqual(request.batchSize)
    expect([...taken].sort((a, b) => a - b)).toEqual(taken)
    expect(new Set(taken).size).toBe(taken.length)
    const sequences = new Set(pending.map((entry) => entry.sequence))
    for (const sequence of taken) expect(sequences.has(sequence)).toBe(true)
  })

  it.prop(
    "never takes an entry under a live lease, its own included",
    [pendingArb, requestArb],
    ([pending, request]) => {
      const taken = new Set(selectClaim(pending, request))
      for (const entry of pending) if (isLeaseLive(entry, request.now)) expect(taken.has(entry.sequence)).toBe(false)
    },
  )

  it.prop(
    "takes an entry only with every earlier pending entry of its aggregate",
    [pendingArb, requestArb],
    ([pending, request]) => {
      const taken = new Set(selectClaim(pending, request))
      for (const entry of pending)
        if (taken.has(entry.sequence))
          for (const earlier of pending)
            if (earlier.aggregateKey === entry.aggregateKey && earlier.sequence < entry.sequence)
              expect(taken.has(earlier.sequence)).toBe(true)
    },
  )

  it.prop(
    "leaves an entry behind only when the batch is full or the entry is blocked",
    [pendingArb, requestArb],
    ([pending, request]) => {
      const taken = new Set(selectClaim(pending, request))
      if (taken.size === request.batchSize) return
      for (const entry of pending) {
        if (taken.has(entry.sequence)) continue
        const blockedByEarlier = pending.some(
          (earlier) =>
            earlier.aggregateKey === entry.aggregateKey &&
            earlier.sequence < entry.sequence &&
            !taken.has(earlier.sequence),
        )
        expect(blockedByEarlier || isLeaseLive(entry, request.now)).toBe(true)
      }
    },
  )

  it.prop(
    "does not depend on the order rows are read in",
    [pendingArb, requestArb, fc.nat()],
    ([pending, request, seed]) => {
      const shuffled = [...pending].sort(
        (a, b) => ((a.sequence * 7919 + seed) % 101) - ((b.sequence * 7919 + seed) % 101),
      )
      expect(selectClaim(shuffled, request)).toEqual(selectClaim(pending, request))
    },
  )

  it.prop(
    "on ascending rows, the scanning variant claims what selectClaim claims",
    [pendingArb, requestArb],
    ([pending, request]) => {
      const ascending = [...pending].sort((a, b) => a.sequence - b.sequence)
      expect(selectClaimAscending(ascending, request)).toEqual(selectClaim(pending, request))
    },
  )

  it("reads ascending rows only until the batch is full, however long the backlog", () => {
    let read = 0
    const backlog = function* () {
      for (let sequence = 1; sequence <= 1_000_000; sequence++) {
        read += 1
        yield { sequence, aggregateKey: `product:${sequence % 7}`, leaseOwner: undefined, leaseExpiresAt: 0 }
      }
    }
    expect(selectClaimAscending(backlog(), { owner: "relay-a", now: 0, batchSize: 100 })).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    )
    expect(read).toBe(101)
  })

  it.prop(
    "owners claiming and publishing in any interleaving never hold one aggregate at once, and hold a prefix of it",
    [
      fc.array(fc.constantFrom("product:1", "product:2", "order:1"), { minLength: 1, maxLength: 40 }),
      fc.array(
        fc.record({
          owner: fc.constantFrom(...OWNERS),
          publish: fc.boolean(),
          batchSize: fc.integer({ min: 1, max: 5 }),
        }),
        {
          maxLength: 40,
        },
      ),
    ],
    ([keys, steps]) => {
      let pending: Array<PendingLease> = keys.map((aggregateKey, i) => ({
        sequence: i + 1,
        aggregateKey,
        leaseOwner: undefined,
        leaseExpiresAt: 0,
      }))
      const published: Array<number> = []
      for (const step of steps) {
        if (step.publish) {
          published.push(...pending.filter((e) => e.leaseOwner === step.owner).map((e) => e.sequence))
          pending = pending.filter((e) => e.leaseOwner !== step.owner)
          continue
        }
        const taken = new Set(selectClaim(pending, { owner: step.owner, now: 0, batchSize: step.batchSize }))
        pending = pending.map((e) => (taken.has(e.sequence) ? { ...e, leaseOwner: step.owner, leaseExpiresAt: 1 } : e))
        for (const key of new Set(keys)) {
          const queue = pending.filter((e) => e.aggregateKey === key)
          const holders = new Set(queue.flatMap((e) => (e.leaseOwner === undefined ? [] : [e.leaseOwner])))
          expect(holders.size).toBeLessThanOrEqual(1)
          const held = queue.filter((e) => e.leaseOwner !== undefined).length
          expect(queue.slice(0, held).every((e) => e.leaseOwner !== undefined)).toBe(true)
        }
      }
      // What was published, per aggregate, is in outbox order.
      for (const key of new Set(keys)) {
        const order = published.filter((sequence) => keys[sequence - 1] === key)
        expect([...order].sort((a, b) => a - b)).toEqual(order)
      }
    },
  )
})

describe("validateClaim", () => {
  it.effect("accepts sensible arguments and rejects the rest with a typed error", () =>
    Effect.gen(function* () {
      yield* validateClaim(100, "relay-1", 30_000)
      for (const [batchSize, owner, leaseMs, field] of [
        [0, "relay-1", 1, "batchSize"],
        [Number.NaN, "relay-1", 1, "batchSize"],
        [2.5, "relay-1", 1, "batchSize"],
        [1, "relay-1", -5, "leaseMs"],
        [1, "   ", 1, "owner"],
        [1, "x".repeat(101), 1, "owner"],
      ] as const) {
        const error = yield* Effect.flip(validateClaim(batchSize, owner, leaseMs))
        expect(error.code).toBe("BAD_REQUEST")
        expect(error.field).toBe(field)
      }
    }),
  )
})
