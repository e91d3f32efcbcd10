import { Context, Duration, Effect } from "effect"
import { CartRepository } from "../cart/CartRepository.js"
import { CartService } from "../cart/CartService.js"
import { ProductRepository } from "../catalog/ProductRepository.js"
import { CouponService } from "../coupons/CouponService.js"
import { type DomainEvent, stampEvents, stampWith } from "../events/DomainEvent.js"
import { EventOutbox } from "../events/EventOutbox.js"
import { PaymentGateway } from "../payments/PaymentGateway.js"
import { PointService } from "../points/PointService.js"
import { IdGenerator } from "../shared/IdGenerator.js"
import { Transactor } from "../shared/Transactor.js"
import type { EventDraft } from "./Order.js"
import { OrderRepository } from "./OrderRepository.js"

export interface CardPaymentSettings {
  /** Where the gateway posts its callbacks. */
  readonly callbackUrl: string
  /** Gateway requests per order, counting the first; after that an unreached payment fails. */
  readonly maxAttempts: number
  /**
   * How long after a request the gateway may still register it (a slow or retried request
   * lands late). Reconciliation concludes "never received" (resend, fail or close) only once
   * the last attempt is older than this, so a late charge is found before the order is given up.
   */
  readonly registrationWindow?: Duration.DurationInput
}

/** Optional: without it the defaults below apply. */
export class CardPaymentConfig extends Context.Tag("@commerce-core/domain/CardPaymentConfig")<
  CardPaymentConfig,
  CardPaymentSettings
>() {}

export const defaultCardPaymentSettings: CardPaymentSettings = {
  callbackUrl: "http://localhost:8080/api/v1/payments/callback",
  maxAttempts: 3,
  registrationWindow: Duration.seconds(30),
}

/** Everything the order workflows use, captured once when a service layer is built. */
export const makeOrderContext = Effect.gen(function* () {
  const ids = yield* IdGenerator
  const outbox = yield* EventOutbox
  const settings = yield* Effect.serviceOption(CardPaymentConfig)
  return {
    orders: yield* OrderRepository,
    products: yield* ProductRepository,
    points: yield* PointService,
    coupons: yield* CouponService,
    cart: yield* CartService,
    cartLines: yield* CartRepository,
    gateway: yield* PaymentGateway,
    tx: yield* Transactor,
    settings: settings._tag === "Some" ? settings.value : defaultCardPaymentSettings,
    // two fiber steps; Effect.map over Clock.currentTimeMillis takes four
    now: Effect.clockWith((clock) => Effect.sync(() => new Date(clock.unsafeCurrentTimeMillis()))),
    /**
     * Stamps ids and a time (`occurredAt`, else the clock's) on drafts and appends them to the
     * outbox (inside the caller's transaction).
     */
    append: (drafts: ReadonlyArray<EventDraft<DomainEvent["_tag"]>>, occurredAt?: Date) =>
      occurredAt === undefined
        ? Effect.flatMap(stampEvents(ids, drafts), (events) => outbox.append(events))
        : Effect.flatMap(ids.eventIds(drafts.length), (eventIds) =>
            outbox.append(stampWith(drafts, eventIds, occurredAt)),
          ),
  }
})

export type OrderContext = Effect.Effect.Success<typeof makeOrderContext>
