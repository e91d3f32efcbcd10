import { type CommittedRows, SequenceRows } from "./SequenceRows.js"

/** A keyed collection of rows. Rows are immutable values: write a new object to change one. */
export class MemoryTable<K, V> {
  /** Committed rows; only `commit` writes here, so outside readers never see half a transaction. */
  readonly committed: CommittedRows<K, V>
  /** Bumped by every commit that writes the table: what a cache of derived data keys on. */
  version = 0
  constructor(
    readonly name: string,
    options?: TableOptions,
  ) {
    this.committed =
      options?.keys === "sequence" ? (new SequenceRows<V>() as unknown as CommittedRows<K, V>) : new Map<K, V>()
  }
}

export interface TableOptions {
  /**
   * "sequence": the keys are a table's ids (1, 2, 3, ... from `nextId`), added in order: the rows
   * are kept in an array by key (see SequenceRows) and scans see them in key order. The first
   * request for a table decides.
   */
  readonly keys?: "any" | "sequence"
}
