import { Clock, Context, Duration, Effect, Layer } from "effect"
import { stampEventAt } from "../events/DomainEvent.js"
import { aggregateKey } from "../events/EventFields.js"
import { EventOutbox } from "../events/EventOutbox.js"
import type { PersistenceUnavailable } from "../shared/DomainError.js"
import { IdGenerator } from "../shared/IdGenerator.js"
import type { ProductId } from "../shared/Ids.js"
import { dayNumber } from "../shared/SeoulCalendar.js"

/**
 * Product views, counted in memory and written to the outbox in bulk: each flush appends one
 * ProductViewed event per product and Seoul day viewed since the last one, carrying the count.
 *
 * Why: a view changes no state, and one durable outbox row per view (plus its relay claim and
 * each consumer's inbox mark) costs a SQL store several times more than the read it counts.
 * Tallied, a flush writes at most one row per product viewed, whatever the traffic. The
 * price: views counted since the last flush are lost if the process dies; a graceful stop
 * flushes them, and a failed flush puts its counts back for the next one.
 */
export class ProductViewTally extends Context.Tag("@commerce-core/domain/ProductViewTally")<
  ProductViewTally,
  {
    /** Counts one view of the product now. */
    readonly record: (productId: ProductId) => Effect.Effect<void>
    /** Appends the views counted so far, in one append; returns how many events it wrote. */
    readonly flush: Effect.Effect<number, PersistenceUnavailable>
  }
>() {}

interface Tally {
  views: number
  /** When the latest of the views happened (epoch ms), which becomes the event's time. */
  lastAt: number
}

/** Tallies per Seoul day number, then per product. */
type Tallies = Map<number, Map<ProductId, Tally>>

const addInto = (target: Tallies, day: number, productId: ProductId, views: number, at: number) => {
  let products = target.get(day)
  if (products === undefined) {
    products = new Map()
    target.set(day, products)
  }
  const tally = products.get(productId)
  if (tally === undefined) products.set(productId, { views, lastAt: at })
  else {
    tally.views += views
    if (at > tally.lastAt) tally.lastAt = at
  }
}

/** `onFirstView` runs when a view lands in an empty tally (something to flush again). */
const makeTally = (onFirstView: () => void) =>
  Effect.gen(function* () {
    const outbox = yield* EventOutbox
    const ids = yield* IdGenerator
    let tallies: Tallies = new Map()

    // Uninterruptible: an append that committed must not also put its counts back.
    const flush = Effect.uninterruptible(
      Effect.suspend(() => {
        if (tallies.size === 0) return Effect.succeed(0)
        const taken = tallies
        tallies = new Map()
        const drafts = [...taken.values()].flatMap((products) =>
          [...products].sort(([a], [b]) => a - b).map(([productId, tally]) => ({ productId, tally })),
        )
        return Effect.forEach(drafts, ({ productId, tally }) =>
          stampEventAt(
            ids,
            "ProductViewed",
            { productId, views: tally.views, aggregateKey: aggregateKey.product(productId) },
            new Date(tally.lastAt),
          ),
        ).pipe(
          Effect.flatMap((events) => Effect.as(outbox.append(events), events.length)),
          Effect.onError(() =>
            Effect.sync(() => {
              for (const [day, products] of taken)
                for (const [productId, tally] of products) addInto(tallies, day, productId, tally.views, tally.lastAt)
            }),
          ),
        )
      }),
    )

    return ProductViewTally.of({
      record: (productId) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          if (tallies.size === 0) onFirstView()
          addInto(tallies, dayNumber(now), productId, 1, now)
        }),
      flush,
    })
  })

/** A tally with no background flushing: the caller flushes (tests, jobs that flush on their own schedule). */
export const makeProductViewTally: Effect.Effect<ProductViewTally["Type"], never, EventOutbox | IdGenerator> =
  makeTally(() => {})

/**
 * The tally flushed `flushEvery` after the first view since its last flush, on a fiber of the
 * layer's scope (an idle tally never wakes up), and once more when the scope closes (a
 * graceful stop loses no view). A failed flush is logged and tried again `flushEvery` later.
 */
export const ProductViewTallyLive = (
  flushEvery: Duration.DurationInput = Duration.seconds(1),
): Layer.Layer<ProductViewTally, never, EventOutbox | IdGenerator> =>
  Layer.scoped(
    ProductViewTally,
    Effect.gen(function* () {
      const viewed = yield* Effect.makeLatch(false)
      const tally = yield* makeTally(() => viewed.unsafeOpen())
      const flushLogged = tally.flush.pipe(
        Effect.tapError(() => viewed.open),
        Effect.catchAllCause((cause) =>
          Effect.logWarning("Product view flush failed; its views wait for the next", cause),
        ),
      )
      yield* Effect.addFinalizer(() => flushLogged)
      const flushWhenViewed = viewed.await.pipe(
        Effect.zipRight(viewed.close),
        Effect.zipRight(Effect.sleep(flushEvery)),
        Effect.zipRight(flushLogged),
      )
      yield* Effect.forkScoped(Effect.forever(flushWhenViewed))
      return tally
    }),
  )
