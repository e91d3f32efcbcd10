import { type DomainEvent, type EventConsumer, PersistenceUnavailable } from "@commerce-core/domain"
import { Effect } from "effect"
import { MemoryDatabase } from "../../src/MemoryDatabase.js"

interface CountRow {
  readonly eventId: string
  readonly count: number
}

/**
 * A consumer whose effect is a transactional write (a count per event id, in its own table),
 * and which can be told to fail its next `failures` calls after writing, or to die.
 */
export const makeCountingConsumer = (name: string) =>
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const table = db.table<string, CountRow>(`counts_${name}`)
    const attempts: Array<string> = []
    const applied: Array<DomainEvent> = []
    const plan = { failures: 0, die: false }
    const consumer: EventConsumer = {
      name,
      handle: (event) =>
        Effect.gen(function* () {
          attempts.push(event.eventId)
          yield* db.write((tx) =>
            Effect.sync(() =>
              tx.set(table, event.eventId, {
                eventId: event.eventId,
                count: (tx.get(table, event.eventId)?.count ?? 0) + 1,
              }),
            ),
          )
          if (plan.die) return yield* Effect.dieMessage(`${name} crashed`)
          if (plan.failures > 0) {
            plan.failures -= 1
            return yield* new PersistenceUnavailable({ reason: `${name} injected failure` })
          }
          applied.push(event)
        }),
    }
    /** Committed counts per event id. */
    const counts = db.read((view) => new Map(view.values(table).map((row) => [row.eventId, row.count])))
    return { consumer, attempts, applied, plan, counts }
  })

export type CountingConsumer = Effect.Effect.Success<ReturnType<typeof makeCountingConsumer>>

/** Each of `ids` exactly once and nothing else. */
export const exactlyOnce = (ids: ReadonlyArray<string>) => new Map(ids.map((id) => [id, 1]))
