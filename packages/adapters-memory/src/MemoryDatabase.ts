import { Context, Effect, Exit, FiberRef, Layer } from "effect"
import { makeFifoLock } from "./FifoLock.js"
import { MemoryTable, type TableOptions } from "./MemoryTable.js"

export { MemoryTable, type TableOptions } from "./MemoryTable.js"

const DELETED: unique symbol = Symbol("deleted")
type Slot = unknown | typeof DELETED

/** A consistent view of the tables: the committed state, or a transaction's own state. */
export interface MemoryView {
  get<K, V>(table: MemoryTable<K, V>, key: K): V | undefined
  values<K, V>(table: MemoryTable<K, V>): Array<V>
  /**
   * The rows lazily, in insertion order, for a scan that may stop early; it must end before the
   * view is written to. Unwritten tables are iterated in place, written ones as `values`.
   */
  scan<K, V>(table: MemoryTable<K, V>): Iterable<V>
  /** Whether this view reads exactly the committed rows of the table (no uncommitted writes to it). */
  readsCommitted<K, V>(table: MemoryTable<K, V>): boolean
}

/** A transaction's handle: reads see its own writes, writes stay private until commit. */
export interface MemoryTx extends MemoryView {
  set<K, V>(table: MemoryTable<K, V>, key: K, value: V): void
  delete<K, V>(table: MemoryTable<K, V>, key: K): void
}

/** The committed rows as an iterable that can be iterated more than once (unlike a Map iterator). */
const lazyRows = <K, V>(table: MemoryTable<K, V>): Iterable<V> => ({
  [Symbol.iterator]: () => table.committed.values(),
})

const committedView: MemoryView = {
  get: (table, key) => table.committed.get(key),
  values: (table) => Array.from(table.committed.values()),
  scan: (table) => lazyRows(table),
  readsCommitted: () => true,
}

/** One level of writes; a child level is a savepoint that merges into its parent on success. */
class Overlay implements MemoryTx {
  readonly writes = new Map<MemoryTable<unknown, unknown>, Map<unknown, Slot>>()
  constructor(readonly parent: Overlay | undefined) {}

  // Rows are never undefined (a delete writes DELETED), so one lookup per level tells.
  private slot(table: MemoryTable<unknown, unknown>, key: unknown): Slot | undefined {
    for (let level: Overlay | undefined = this; level !== undefined; level = level.parent) {
      const slot = level.writes.get(table)?.get(key)
      if (slot !== undefined) return slot
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

  scan<K, V>(table: MemoryTable<K, V>): Iterable<V> {
    return this.readsCommitted(table) ? lazyRows(table) : this.values(table)
  }

  readsCommitted<K, V>(table: MemoryTable<K, V>): boolean {
    for (let level: Overlay | undefined = this; level !== undefined; level = level.parent) {
      if (level.writes.get(table as MemoryTable<unknown, unknown>)?.size) return false
    }
    return true
  }

  rowsOf(table: MemoryTable<unknown, unknown>) {
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

  // forEach rather than for-of: no [key, value] array per row on the commit path.
  mergeInto(target: Overlay) {
    this.writes.forEach((rows, table) => {
      const targetRows = target.rowsOf(table)
      rows.forEach((v, k) => {
        targetRows.set(k, v)
      })
    })
  }

  commit() {
    this.writes.forEach((rows, table) => {
      if (rows.size > 0) table.version += 1
      const committed = table.committed
      rows.forEach((v, k) => {
        if (v === DELETED) committed.delete(k)
        else committed.set(k, v)
      })
    })
  }
}

/**
 * A statement inside a transaction. While its function runs synchronously it writes straight
 * into the enclosing level and notes what each write replaced: no other fiber can run before
 * it returns, so a refused statement (a failed Exit) is undone from the notes and an accepted
 * one costs no savepoint. A statement that returns an effect still to run moves its writes
 * into a child level (`detach`), which is then a savepoint like any other.
 */
class Statement implements MemoryTx {
  /** rows, table, key, whether the key was written at this level before, what it held. */
  private readonly undo: Array<unknown> = []
  /** Entries of `undo` in use; the array is kept (not truncated) when the statement is reused. */
  private undoLength = 0
  private target: Overlay
  constructor(private level: Overlay) {
    this.target = level
  }

  /** Starts afresh on `level`; only for a statement that finished while it was built (see `savepoint`). */
  reuse(level: Overlay): this {
    this.level = level
    this.target = level
    this.undoLength = 0
    return this
  }

  get<K, V>(table: MemoryTable<K, V>, key: K): V | undefined {
    return this.target.get(table, key)
  }

  values<K, V>(table: MemoryTable<K, V>): Array<V> {
    return this.target.values(table)
  }

  scan<K, V>(table: MemoryTable<K, V>): Iterable<V> {
    return this.target.scan(table)
  }

  readsCommitted<K, V>(table: MemoryTable<K, V>): boolean {
    return this.target.readsCommitted(table)
  }

  private write(table: MemoryTable<unknown, unknown>, key: unknown, slot: Slot) {
    const rows = this.target.rowsOf(table)
    if (this.target === this.level) {
      const undo = this.undo
      const at = this.undoLength
      undo[at] = rows
      undo[at + 1] = table
      undo[at + 2] = key
      undo[at + 3] = rows.has(key)
      undo[at + 4] = rows.get(key)
      this.undoLength = at + 5
    }
    rows.set(key, slot)
  }

  set<K, V>(table: MemoryTable<K, V>, key: K, value: V): void {
    this.write(table as MemoryTable<unknown, unknown>, key, value)
  }

  delete<K, V>(table: MemoryTable<K, V>, key: K): void {
    this.write(table as MemoryTable<unknown, unknown>, key, DELETED)
  }

  /** Puts back what the statement's synchronous writes replaced, newest first. */
  rollback() {
    const undo = this.undo
    for (let i = this.undoLength - 5; i >= 0; i -= 5) {
      const rows = undo[i] as Map<unknown, Slot>
      if (undo[i + 3]) rows.set(undo[i + 2], undo[i + 4])
      else rows.delete(undo[i + 2])
    }
    this.undoLength = 0
  }

  /** Moves the synchronous writes into a new child level, which later writes go to. */
  detach(): Overlay {
    const child = new Overlay(this.level)
    const undo = this.undo
    for (let i = 0; i < this.undoLength; i += 5) {
      const rows = undo[i] as Map<unknown, Slot>
      child.rowsOf(undo[i + 1] as MemoryTable<unknown, unknown>).set(undo[i + 2], rows.get(undo[i + 2]))
    }
    this.rollback()
    this.target = child
    return child
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
  /** The table of that name, created on first use: like SQL, one name is one table for every adapter and job. */
  readonly table: <K, V>(name: string, options?: TableOptions) => MemoryTable<K, V>
  /** Reads through the current transaction when there is one, else the committed state. */
  readonly read: <A>(f: (view: MemoryView) => A) => Effect.Effect<A>
  /**
   * One atomic statement: its writes all apply or, when it fails, none do. Fastest when `f`
   * reads and writes synchronously and returns `Effect.succeed`/`Effect.fail` (no savepoint).
   */
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

/**
 * The transaction state of one fiber in one transaction: the overlay its statements write to
 * (the innermost open savepoint), so entering and leaving a savepoint is a field update, not a
 * FiberRef change (each one copies the fiber's FiberRefs). Leaving the transaction empties the
 * cell instead of unsetting the FiberRef; the next transaction sets a new cell, so a Runtime
 * taken from the fiber between the two (it carries the fiber's FiberRefs) keeps the emptied one.
 */
interface TxCell {
  overlay: Overlay | undefined
}

export const makeMemoryDatabase = Effect.sync((): MemoryDatabaseService => {
  // Outside a transaction: undefined, or an emptied cell. A fiber forked inside one gets its own
  // cell on the same overlay (its savepoints stay its own); a joined child never replaces its
  // parent's cell.
  const currentTx = FiberRef.unsafeMake<TxCell | undefined>(undefined, {
    fork: (cell) => (cell?.overlay === undefined ? undefined : { overlay: cell.overlay }),
    join: (parent) => parent,
  })
  const lock = makeFifoLock()
  const sequences = new Map<string, number>()
  const tables = new Map<string, MemoryTable<unknown, unknown>>()

  // Holding the lock: runs `f` on a fresh overlay, publishes it on success and releases the
  // lock however `f` ends. A statement that did its work while being built (it returns an
  // Exit, as `Effect.succeed`/`Effect.fail` do) is finished at once; any other body runs with
  // the fiber marked as inside the transaction, in the caller's uninterruptible region.
  const runLocked = <A, E, R>(
    restore: <X, Y, Z>(self: Effect.Effect<X, Y, Z>) => Effect.Effect<X, Y, Z>,
    f: (tx: Overlay) => Effect.Effect<A, E, R>,
  ): Effect.Effect<A, E, R> => {
    const overlay = new Overlay(undefined)
    let body: Effect.Effect<A, E, R>
    try {
      body = f(overlay)
    } catch (defect) {
      lock.release()
      throw defect
    }
    if (Exit.isExit(body)) {
      if (Exit.isSuccess(body)) overlay.commit()
      lock.release()
      return body
    }
    const cell: TxCell = { overlay }
    const run = Effect.matchCauseEffect(restore(body), {
      onFailure: (cause) => {
        cell.overlay = undefined
        lock.release()
        return Effect.failCause(cause)
      },
      onSuccess: (a) => {
        cell.overlay = undefined
        overlay.commit()
        lock.release()
        return Effect.succeed(a)
      },
    })
    return Effect.zipRight(FiberRef.set(currentTx, cell), run)
  }

  // Effect.locally plus a separate lock region cost several times more per transaction.
  const topLevel = <A, E, R>(f: (tx: Overlay) => Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.uninterruptibleMask((restore) =>
      lock.tryAcquire() ? runLocked(restore, f) : Effect.flatMap(restore(lock.acquire), () => runLocked(restore, f)),
    )

  // A statement or nested transaction inside a transaction. Finished at once when `f` returns
  // an Exit (see Statement); otherwise a savepoint: a child overlay that becomes the cell's
  // target while the body runs, merged into its parent on success and dropped on failure. On
  // interruption the handlers do not run, but then the fiber (and the transaction it belongs
  // to, or its own cell) is ending, and the child was never merged. A statement that finished
  // while it was built is done with (its function has returned, and a handle must not be kept
  // past that), so the next statement reuses it: most statements are such.
  let spare: Statement | undefined
  const savepoint = <A, E, R>(
    cell: TxCell,
    parent: Overlay,
    f: (tx: MemoryTx) => Effect.Effect<A, E, R>,
  ): Effect.Effect<A, E, R> => {
    const statement = spare === undefined ? new Statement(parent) : spare.reuse(parent)
    spare = undefined
    let body: Effect.Effect<A, E, R>
    try {
      body = f(statement)
    } catch (defect) {
      statement.rollback()
      throw defect
    }
    if (Exit.isExit(body)) {
      if (Exit.isFailure(body)) statement.rollback()
      spare = statement
      return body
    }
    const child = statement.detach()
    cell.overlay = child
    return Effect.matchCauseEffect(body, {
      onFailure: (cause) => {
        cell.overlay = parent
        return Effect.failCause(cause)
      },
      onSuccess: (a) => {
        cell.overlay = parent
        child.mergeInto(parent)
        return Effect.succeed(a)
      },
    })
  }

  // withFiberRuntime reads the FiberRef in one step (FiberRef.getWith takes two or three).
  const atomically = <A, E, R>(f: (tx: MemoryTx) => Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.withFiberRuntime<A, E, R>((fiber) => {
      const cell = fiber.getFiberRef(currentTx)
      return cell === undefined || cell.overlay === undefined ? topLevel(f) : savepoint(cell, cell.overlay, f)
    })

  return {
    table: <K, V>(name: string, options?: TableOptions) => {
      const existing = tables.get(name)
      if (existing) return existing as MemoryTable<K, V>
      const created = new MemoryTable<K, V>(name, options)
      tables.set(name, created as MemoryTable<unknown, unknown>)
      return created
    },
    read: (f) =>
      Effect.withFiberRuntime((fiber) => Effect.succeed(f(fiber.getFiberRef(currentTx)?.overlay ?? committedView))),
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
