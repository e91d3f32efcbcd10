/** The committed rows of a table, as a Map holds them: what MemoryDatabase needs of a store. */
export interface CommittedRows<K, V> extends Iterable<[K, V]> {
  readonly size: number
  get(key: K): V | undefined
  has(key: K): boolean
  set(key: K, value: V): unknown
  delete(key: K): boolean
  values(): IterableIterator<V>
}

/** How far past the last row a new key may land and still be stored in place. */
const MAX_GAP = 4_096

/**
 * Rows keyed by a sequence (1, 2, 3, ...; gaps allowed), stored in an array indexed by key.
 * Appending to a table of a million rows costs an array store where a Map would hash into a
 * table far larger than any cache, and grows by copying it. Rows iterate in key order, which
 * for a sequence is the order they were added. A key that is not a small step past the end
 * (not a non-negative integer, or far ahead) is kept in a Map beside the array and iterates
 * after it, in insertion order.
 */
export class SequenceRows<V> implements CommittedRows<number, V> {
  private readonly rows: Array<V | undefined> = []
  private readonly others = new Map<number, V>()
  private inRows = 0

  get size(): number {
    return this.inRows + this.others.size
  }

  private fits(key: number): boolean {
    return Number.isInteger(key) && key >= 0 && key < this.rows.length + MAX_GAP
  }

  get(key: number): V | undefined {
    const row = this.rows[key]
    return row !== undefined || this.others.size === 0 ? row : this.others.get(key)
  }

  has(key: number): boolean {
    return this.get(key) !== undefined
  }

  set(key: number, value: V): this {
    if (value === undefined) throw new TypeError("SequenceRows cannot hold undefined")
    if (this.others.has(key) || !this.fits(key)) {
      this.others.set(key, value)
      return this
    }
    const rows = this.rows
    while (rows.length < key) rows.push(undefined)
    if (key === rows.length) {
      rows.push(value)
      this.inRows += 1
    } else {
      if (rows[key] === undefined) this.inRows += 1
      rows[key] = value
    }
    return this
  }

  delete(key: number): boolean {
    if (this.rows[key] !== undefined) {
      this.rows[key] = undefined
      this.inRows -= 1
      return true
    }
    return this.others.delete(key)
  }

  *values(): IterableIterator<V> {
    for (const row of this.rows) if (row !== undefined) yield row
    yield* this.others.values()
  }

  *[Symbol.iterator](): IterableIterator<[number, V]> {
    const rows = this.rows
    for (let key = 0; key < rows.length; key++) {
      const row = rows[key]
      if (row !== undefined) yield [key, row]
    }
    yield* this.others
  }
}
