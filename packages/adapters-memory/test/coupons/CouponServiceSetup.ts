import {
  CouponService,
  CouponServiceLive,
  type CouponTemplateInput,
  type DomainEvent,
  type DomainEventTag,
  type EventOfTag,
  UserId,
} from "@commerce-core/domain"
import { Effect, Layer, TestClock } from "effect"
import {
  CouponsMemory,
  EventOutboxMemory,
  IdGeneratorRandom,
  MemoryDatabase,
  MemoryDatabaseLive,
  OutboxTableMemory,
  OutboxTableMemoryLive,
  TransactorMemory,
} from "../../src/index.js"

export const DAY = 86_400_000
/** Windows are measured from here; TestClock starts at 0. */
export const OPENS = 10 * DAY

export const makeLayer = () => {
  const stores = Layer.mergeAll(CouponsMemory, TransactorMemory, OutboxTableMemoryLive, IdGeneratorRandom).pipe(
    Layer.provideMerge(MemoryDatabaseLive),
  )
  const withOutbox = EventOutboxMemory.pipe(Layer.provideMerge(stores))
  return CouponServiceLive.pipe(Layer.provideMerge(withOutbox))
}

export const input = (patch: Partial<CouponTemplateInput> = {}): CouponTemplateInput => ({
  name: "Welcome",
  type: "FIXED",
  value: 3_000,
  issueStartsAt: new Date(OPENS),
  issueEndsAt: new Date(OPENS + 5 * DAY),
  validDays: 7,
  ...patch,
})

export const user = (n: number) => UserId.make(n)

/** Creates a template and moves the TestClock into its issue window. */
export const openTemplate = (patch: Partial<CouponTemplateInput> = {}) =>
  Effect.gen(function* () {
    const service = yield* CouponService
    const template = yield* service.createTemplate(input(patch))
    yield* TestClock.setTime(template.issueStartsAt.getTime())
    return { service, template }
  })

export const eventsOf = <T extends DomainEventTag>(tag: T) =>
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const outbox = yield* OutboxTableMemory
    const all = yield* db.read((view) => view.values(outbox))
    return all.map((entry) => entry.event).filter((event: DomainEvent): event is EventOfTag<T> => event._tag === tag)
  })
