// Building Schema.Class instances without running their constructor. With validation off, that
// constructor only copies the fields onto a fresh instance (Data.Class), after spreading them
// and scanning the schema for defaults, which costs several times the copy. Reflect.construct
// allocates the instance from the class's own initial map, so it is as compact as one built
// with `new` (Object.create(prototype) would keep most fields out of line).
// Only for Schema.Class (not TaggedClass or errors) and for fields already known to be valid.

function AssignFields(this: object, fields: object, changes: object | undefined) {
  Object.assign(this, fields, changes)
}

/** `new X(fields, true)` for a Schema.Class X, at a fraction of the cost. */
export const fromValidFields = <C extends abstract new (fields: never, options?: boolean) => object>(
  Class: C,
  fields: ConstructorParameters<C>[0],
): InstanceType<C> => Reflect.construct(AssignFields, [fields, undefined], Class) as InstanceType<C>

/** `new X({ ...self, ...changes }, true)`: a copy of an instance with some fields replaced. */
export const copyWith = <A extends object>(self: A, changes: Partial<A>): A =>
  Reflect.construct(AssignFields, [self, changes], self.constructor) as A
