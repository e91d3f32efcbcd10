/**
 * A copy of `items` sorted by `key`, ascending; stable. Orders, carts and stock updates sort a
 * handful of lines on every request, and Array.prototype.sort allocates its own working state
 * per call (about 600 bytes here), so short lists are sorted by insertion.
 */
export const sortAscending = <A>(items: ReadonlyArray<A>, key: (item: A) => number): Array<A> => {
  if (items.length > 16) return [...items].sort((a, b) => key(a) - key(b))
  const sorted: Array<A> = []
  for (const item of items) {
    const k = key(item)
    let at = sorted.length
    sorted.push(item)
    // shifted by hand: splice allocates an array of the removed items on every call
    for (; at > 0 && key(sorted[at - 1] as A) > k; at--) sorted[at] = sorted[at - 1] as A
    sorted[at] = item
  }
  return sorted
}
