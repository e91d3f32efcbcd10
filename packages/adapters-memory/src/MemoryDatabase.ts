import { Context, Effect, FiberRef, Layer, Option } from "effect"
import { makeFifoLock } from "./FifoLock.js"

const DELETED: unique symbol = Symbol("deleted")
type Slot = unknown | typeof DELETED

/** A keyed collection of rows. Rows are immutable values: write a new object to change one. */
export class MemoryTable<K, V> {
  /** Committed rows; only `commit` writes here, so outside readers never see half a transaction. */
  readonly committed = new Map<K, V>()
  constructor(readonly name: string) {}
}

/** A consistent view of the tables: the committed state, or a transaction's own state. */
export interface MemoryView {
  get<K, V>(table: MemoryTable<K, V>, key: K): V | undefined
  values<K, V>(table: MemoryTable<K, V>): Array<V>
}

/** A transaction's handle: reads see its own writes, writes stay private until commit. */
export interface MemoryTx extends MemoryView {
  set<K, V>(table: MemoryTable<K, V>, key: K, value: V): void
  delete<K, V>(table: MemoryTable<K, V>, key: K): void
}

const committedView: MemoryView = {
  get: (table, key) => table.committed.get(key),
  values: (table) => Array.from(table.committed.values()),
}

/** One level of writes; a child level is a savepoint that merges into its parent on success. */
class Overlay implements MemoryTx {
  readonly writes = new Map<MemoryTable<unknown, unknown>, Map<unknown, Slot>>()
  constructor(readonly parent: Overlay | undefined) {}

  private slot(table: MemoryTable<unknown, unknown>, key: unknown): Slot | undefined {
    for (let level: Overlay | undefined = this; level !== undefined; level = level.parent) {
      const rows = level.writes.get(table)
      if (rows?.has(key)) return rows.get(key)
    }
    return undefined
  }

  get<K, V>(table: MemoryTable<K, V>, key: K): V | undefined {
    const slot = this.slot(table as MemoryTable<unknown, unknown>, key)
    if (slot === DELETED) return undefined
    return slot === undefined ? table.committed.get(key) : (slot as V)
  }

  values<K, V>(table: MemoryTable<K, V>): Array<V> {
    const merged = new Map<unknown, Slot>()
    const levels: Array<Overlay> = []
    for (let level: Overlay | undefined = this; level !== undefined; level = level.parent) levels.unshift(level)
    for (const level of levels) {
      const rows = level.writes.get(table as MemoryTable<unknown, unknown>)
      if (rows) for (const [k, v] of rows) merged.set(k, v)
    }
    if (merged.size === 0) return Array.from(table.committed.values())
    const out: Array<V> = []
    for (const [k, v] of table.committed) {
      const slot = merged.get(k)
      if (slot === undefined) out.push(v)
      else if (slot !== DELETED) out.push(slot as V)
    }
    for (const [k, slot] of merged) if (slot !== DELETED && !table.committed.has(k as K)) out.push(slot as V)
    return out
  }

  private rowsOf(table: MemoryTable<unknown, unknown>) {
    let rows = this.writes.get(table)
    if (!rows) {
      rows = new Map()
      this.writes.set(table, rows)
    }
    return rows
  }

  set<K, V>(table: MemoryTable<K, V>, key: K, value: V): void {
    this.rowsOf(table as MemoryTable<unknown, unknown>).set(key, value)
  }

  delete<K, V>(table: MemoryTable<K, V>, key: K): void {
    this.rowsOf(table as MemoryTable<unknown, unknown>).set(key, DELETED)
  }

  mergeInto(target: Overlay) {
    for (const [table, rows] of this.writes) {
      const targetRows = target.rowsOf(table)
      for (const [k, v] of rows) targetRows.set(k, v)
    }
  }

  commit() {
    for (const [table, rows] of this.writes) {
      for (const [k, v] of rows) {
        if (v === DELETED) table.committed.delete(k)
        else table.committed.set(k, v)
      }
    }
  }
}

/**
 * The in-memory store behind every memory adapter. Transactions are serialised by one
 * permit and keep their writes in a private overlay that is published on commit and dropped
 * on failure or interruption: serialisable isolation with no dirty reads. A write outside a
 * transaction runs as its own one-statement transaction; a nested transaction or statement
 * inside one is a savepoint, undone alone when it fails.
 */
export interface MemoryDatabaseService {
  /** A new table; each adapter owns its tables. */
  readonly table: <K, V>(name: string) => MemoryTable<K, V>
  /** Reads through the current transaction when there is one, else the committed state. */
  readonly read: <A>(f: (view: MemoryView) => A) => Effect.Effect<A>
  /** One atomic statement: its writes all apply or, when it fails, none do. */
  readonly write: <A, E, R>(f: (tx: MemoryTx) => Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Runs an effect as a transaction (or a savepoint of the enclosing one). */
  readonly transaction: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Next value of a named sequence; like SQL auto-increment it is not rolled back. */
  readonly nextId: (sequence: string) => number
}

export class MemoryDatabase extends Context.Tag("@commerce-core/adapters-memory/MemoryDatabase")<
  MemoryDatabase,
  MemoryDatabaseService
>() {}

export const makeMemoryDatabase = Effect.sync((): MemoryDatabaseService => {
  const currentTx = FiberRef.unsafeMake<Option.Option<Overlay>>(Option.none())
  const exclusively = makeFifoLock()
  const sequences = new Map<string, number>()

  const inOverlay = <A, E, R>(parent: Overlay | undefined, f: (tx: Overlay) => Effect.Effect<A, E, R>) => {
    const overlay = new Overlay(parent)
    return Effect.locally(f(overlay), currentTx, Option.some(overlay)).pipe(
      Effect.tap(() => Effect.sync(() => (parent ? overlay.mergeInto(parent) : overlay.commit()))),
    )
  }

  const atomically = <A, E, R>(f: (tx: Overlay) => Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(FiberRef.get(currentTx), (current) =>
      Option.isSome(current) ? inOverlay(current.value, f) : exclusively(inOverlay(undefined, f)),
    )

  return {
    table: (name) => new MemoryTable(name),
    read: (f) =>
      Effect.map(FiberRef.get(currentTx), (current) => f(Option.isSome(current) ? current.value : committedView)),
    write: atomically,
    transaction: (self) => atomically(() => self),
    nextId: (sequence) => {
      const next = (sequences.get(sequence) ?? 0) + 1
      sequences.set(sequence, next)
      return next
    },
  }
})

export const MemoryDatabaseLive = Layer.effect(MemoryDatabase, makeMemoryDatabase)
