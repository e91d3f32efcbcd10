import { Clock, Context, Effect, Either, Layer, Option } from "effect"
import { stampEvent } from "../events/DomainEvent.js"
import { aggregateKey } from "../events/EventFields.js"
import { EventOutbox } from "../events/EventOutbox.js"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import { IdGenerator } from "../shared/IdGenerator.js"
import type { CouponTemplateId, IssuedCouponId, OrderId, UserId } from "../shared/Ids.js"
import type { Money } from "../shared/Money.js"
import { Transactor } from "../shared/Transactor.js"
import {
  type CouponIssueError,
  type CouponMinOrderAmountNotMet,
  CouponNotFound,
  type CouponNotIssuable,
  CouponTemplateNotFound,
  type CouponUseError,
  type InvalidCouponTemplate,
} from "./CouponErrors.js"
import {
  type CouponTemplate,
  type CouponTemplateInput,
  checkCouponIssueWindow,
  validateCouponTemplate,
} from "./CouponTemplate.js"
import { CouponTemplateRepository } from "./CouponTemplateRepository.js"
import { couponDiscountAtCheckout } from "./Discount.js"
import { type CouponRestoreOutcome, type CouponStatus, useCoupon } from "./IssuedCoupon.js"
import { IssuedCouponRepository } from "./IssuedCouponRepository.js"
import { toUserCoupon, type UserCoupon } from "./UserCoupon.js"

export interface ApplyCouponInput {
  /** The issued coupon's id (what an order request calls `couponId`). */
  readonly couponId: IssuedCouponId
  readonly userId: UserId
  readonly orderId: OrderId
  readonly subtotal: Money
  /** The order's own timestamp, so the coupon's usedAt matches it; defaults to the Clock. */
  readonly now?: Date | undefined
}

/** What an order needs to record and, later, to undo the use (compensation data). */
export interface AppliedCoupon {
  readonly couponId: IssuedCouponId
  readonly templateId: CouponTemplateId
  readonly discount: Money
}

export interface RestoreCouponInput {
  readonly couponId: IssuedCouponId
  readonly orderId: OrderId
}

export class CouponService extends Context.Tag("@commerce-core/domain/CouponService")<
  CouponService,
  {
    /** Admin: validates and stores a template. */
    readonly createTemplate: (
      input: CouponTemplateInput,
    ) => Effect.Effect<CouponTemplate, InvalidCouponTemplate | PersistenceUnavailable>
    readonly getTemplate: (
      id: CouponTemplateId,
    ) => Effect.Effect<CouponTemplate, CouponTemplateNotFound | PersistenceUnavailable>
    /** First come, first served; one per user per template; appends CouponIssued. */
    readonly issue: (
      templateId: CouponTemplateId,
      userId: UserId,
    ) => Effect.Effect<
      UserCoupon,
      CouponTemplateNotFound | CouponNotIssuable | CouponIssueError | PersistenceUnavailable
    >
    /** The user's coupons, newest first; `status` filters by the status as seen now. */
    readonly listMine: (
      userId: UserId,
      status?: CouponStatus,
    ) => Effect.Effect<ReadonlyArray<UserCoupon>, PersistenceUnavailable>
    /**
     * Marks the coupon used by the order and returns the discount; appends CouponUsed. Meant
     * to run inside the order's transaction (this one nests as a savepoint). Fails without
     * change when the coupon is unknown or not the user's, used, expired, or the subtotal is
     * below the template's minOrderAmount.
     */
    readonly applyToOrder: (
      input: ApplyCouponInput,
    ) => Effect.Effect<AppliedCoupon, CouponUseError | CouponMinOrderAmountNotMet | PersistenceUnavailable>
    /**
     * Undoes `applyToOrder` when the order is cancelled or its payment fails. Idempotent:
     * appends CouponRestored only when the coupon really was released by this call.
     */
    readonly restoreForOrder: (input: RestoreCouponInput) => Effect.Effect<CouponRestoreOutcome, PersistenceUnavailable>
  }
>() {}

const KNOWN_TEMPLATES_MAX = 10_000

const currentDate = Effect.map(Clock.currentTimeMillis, (ms) => new Date(ms))

export const CouponServiceLive = Layer.effect(
  CouponService,
  Effect.gen(function* () {
    const templates = yield* CouponTemplateRepository
    const issued = yield* IssuedCouponRepository
    const tx = yield* Transactor
    const outbox = yield* EventOutbox
    const ids = yield* IdGenerator

    // The port has no update: a template never changes once stored, so one read serves this
    // process for good (a flash crowd then reads it once, not once per request). Bounded, so
    // a process that sees many templates does not keep them all.
    const known = new Map<CouponTemplateId, CouponTemplate>()
    const remember = (template: CouponTemplate) => {
      if (known.size >= KNOWN_TEMPLATES_MAX) known.clear()
      known.set(template.id, template)
      return template
    }
    const getTemplate = (id: CouponTemplateId) => {
      const cached = known.get(id)
      if (cached !== undefined) return Effect.succeed(cached)
      return Effect.flatMap(templates.findById(id), (found) =>
        Option.match(found, {
          onNone: () => Effect.fail(new CouponTemplateNotFound({ templateId: id })),
          onSome: (template) => Effect.succeed(remember(template)),
        }),
      )
    }

    // An issued coupon always references a stored template (foreign key); a missing one is a broken store.
    const templateOf = (id: CouponTemplateId) =>
      Effect.catchTag(getTemplate(id), "CouponTemplateNotFound", (e) =>
        Effect.dieMessage(`Issued coupon references missing template ${e.templateId}`),
      )

    // A fast gate (Redis) may turn away duplicates and sold-out requests before this runs; it is
    // only an optimisation: the repository's atomic issue stays the source of truth. Templates
    // are never changed once created, so reading one needs no transaction, and a request turned
    // away before its first write opens none in a store that begins lazily.
    const issue = (templateId: CouponTemplateId, userId: UserId) =>
      Effect.gen(function* () {
        const now = yield* currentDate
        const template = yield* getTemplate(templateId)
        yield* checkCouponIssueWindow(template, now)
        return yield* tx.withTransaction(
          Effect.gen(function* () {
            const coupon = yield* issued.issue(template, userId, now)
            const event = yield* stampEvent(ids, "CouponIssued", {
              aggregateKey: aggregateKey.coupon(coupon.id),
              couponId: coupon.id,
              templateId: template.id,
              userId,
            })
            yield* outbox.append([event])
            return toUserCoupon(coupon, template, now)
          }),
        )
      })

    const listMine = (userId: UserId, status?: CouponStatus) =>
      Effect.gen(function* () {
        const now = yield* currentDate
        const coupons = yield* issued.listByUser(userId, status === undefined ? undefined : { status, now })
        const byId = new Map<CouponTemplateId, CouponTemplate>()
        for (const coupon of coupons) {
          if (!byId.has(coupon.templateId)) byId.set(coupon.templateId, yield* templateOf(coupon.templateId))
        }
        return coupons.map((coupon) => toUserCoupon(coupon, byId.get(coupon.templateId)!, now))
      })

    const applyToOrder = (input: ApplyCouponInput) =>
      tx.withTransaction(
        Effect.gen(function* () {
          const now = input.now ?? (yield* currentDate)
          const found = yield* issued.findById(input.couponId)
          if (Option.isNone(found)) return yield* new CouponNotFound({ couponId: input.couponId })
          const coupon = found.value
          // Early, precise errors; markUsed re-checks atomically, so a concurrent use still loses there.
          yield* Either.map(useCoupon(coupon, input.userId, input.orderId, now), () => undefined)
          const template = yield* templateOf(coupon.templateId)
          const discount = yield* couponDiscountAtCheckout(template, input.subtotal)
          yield* issued.markUsed(coupon.id, input.userId, input.orderId, now)
          const event = yield* stampEvent(ids, "CouponUsed", {
            aggregateKey: aggregateKey.coupon(coupon.id),
            couponId: coupon.id,
            orderId: input.orderId,
            userId: coupon.userId,
          })
          yield* outbox.append([event])
          return { couponId: coupon.id, templateId: template.id, discount }
        }),
      )

    const restoreForOrder = (input: RestoreCouponInput) =>
      tx.withTransaction(
        Effect.gen(function* () {
          const now = yield* currentDate
          const outcome = yield* issued.restore(input.couponId, input.orderId, now)
          if (outcome._tag === "Restored") {
            const event = yield* stampEvent(ids, "CouponRestored", {
              aggregateKey: aggregateKey.coupon(outcome.coupon.id),
              couponId: outcome.coupon.id,
              orderId: input.orderId,
              userId: outcome.coupon.userId,
            })
            yield* outbox.append([event])
          }
          return outcome
        }),
      )

    return CouponService.of({
      createTemplate: (input) =>
        tx.withTransaction(
          Effect.gen(function* () {
            const template = yield* validateCouponTemplate(input, yield* currentDate)
            return yield* templates.insert(template)
          }),
        ),
      getTemplate,
      issue: issue,
      listMine,
      applyToOrder,
      restoreForOrder,
    })
  }),
)
