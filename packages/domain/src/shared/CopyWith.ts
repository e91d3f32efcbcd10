/**
 * A copy of a Schema.Class instance with some fields replaced, without running its
 * constructor. With validation off that constructor only copies the fields onto a fresh
 * instance (Data.Class), so this builds the same value as `new X({ ...self, ...changes }, true)`
 * at about a tenth of the cost. Like that call, only for changes already known to be valid.
 */
export const copyWith = <A extends object>(self: A, changes: Partial<A>): A =>
  Object.assign(Object.create(Object.getPrototypeOf(self)) as A, self, changes)
