import {
  CouponTemplateRepositoryMemory,
  IssuedCouponRepositoryMemory,
  MemoryDatabaseLive,
} from "@commerce-core/adapters-memory"
import {
  type CouponTemplateId,
  type CouponTemplateRepository,
  IssuedCouponRepository,
  PersistenceUnavailable,
  type UserId,
} from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { CouponIssueLedger, IssuedCouponRepositoryGated, type RedisClient } from "../../src/index.js"

export interface StoreProbe {
  /** Calls that reached the real repository's issue (what the gate let through). */
  calls: number
  /** Holders per template as the store committed them. */
  readonly holders: Map<CouponTemplateId, Set<UserId>>
}

export interface CouponWorldOptions {
  readonly ledger: boolean
  /** Real time spent inside the store's issue (it.live tests only), to widen the race. */
  readonly storeDelayMillis?: number
  /** 1-based store calls that fail with PersistenceUnavailable, writing nothing. */
  readonly failCalls?: ReadonlyArray<number>
  /** Runs as each call reaches the store, with its 1-based number (sabotage hooks). */
  readonly onCall?: (call: number) => Effect.Effect<void>
}

/**
 * The gate over the memory IssuedCouponRepository. The store is wrapped to count the calls
 * that reach it and to record its committed holders, which also serve as the
 * CouponIssueLedger (the "SELECT user_id FROM issued_coupon" of a SQL store).
 */
export const gatedMemoryWorld = (
  redis: Layer.Layer<RedisClient>,
  options: CouponWorldOptions,
): { readonly layer: Layer.Layer<CouponTemplateRepository | IssuedCouponRepository>; readonly probe: StoreProbe } => {
  const probe: StoreProbe = { calls: 0, holders: new Map() }

  const probed = Layer.effect(
    IssuedCouponRepository,
    Effect.map(IssuedCouponRepository, (store) =>
      IssuedCouponRepository.of({
        ...store,
        issue: (template, userId, now) =>
          Effect.gen(function* () {
            const call = ++probe.calls
            if (options.onCall) yield* options.onCall(call)
            if (options.storeDelayMillis !== undefined) yield* Effect.sleep(options.storeDelayMillis)
            if (options.failCalls?.includes(call)) {
              return yield* new PersistenceUnavailable({ reason: "store down in this test" })
            }
            const coupon = yield* store.issue(template, userId, now)
            const set = probe.holders.get(template.id) ?? new Set<UserId>()
            probe.holders.set(template.id, set.add(userId))
            return coupon
          }),
      }),
    ),
  ).pipe(Layer.provide(IssuedCouponRepositoryMemory))

  const ledger = Layer.succeed(
    CouponIssueLedger,
    CouponIssueLedger.of({ holders: (id) => Effect.sync(() => Array.from(probe.holders.get(id) ?? [])) }),
  )

  const gated = IssuedCouponRepositoryGated.pipe(
    Layer.provide(options.ledger ? Layer.mergeAll(probed, redis, ledger) : Layer.merge(probed, redis)),
  )
  return { layer: Layer.merge(gated, CouponTemplateRepositoryMemory).pipe(Layer.provide(MemoryDatabaseLive)), probe }
}
