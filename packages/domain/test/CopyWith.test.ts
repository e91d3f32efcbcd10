import { Arbitrary, Equal, FastCheck as fc, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Order, OrderLine, StatusChange } from "../src/orders/Order.js"
import { Payment } from "../src/payments/Payment.js"
import { LedgerEntry } from "../src/points/LedgerEntry.js"
import { copyWith, fromValidFields } from "../src/shared/CopyWith.js"

// biome-ignore lint/suspicious/noExplicitAny: any Schema.Class, whatever its fields
type AnyClass = new (fields: any, options?: boolean) => object

// The classes the hot paths build this way; each is checked against its own constructor.
const classes: Record<string, AnyClass> = { Order, OrderLine, StatusChange, Payment, LedgerEntry }

const expectSameValue = (built: object, expected: object, Class: AnyClass) => {
  expect(built).toBeInstanceOf(Class)
  expect(Object.getPrototypeOf(built)).toBe(Object.getPrototypeOf(expected))
  expect(Object.keys(built)).toEqual(Object.keys(expected))
  expect(Equal.equals(built, expected)).toBe(true)
  expect(Schema.is(Class as unknown as Schema.Schema<object>)(built)).toBe(true)
}

describe("building Schema.Class instances without their constructor", () => {
  for (const [name, Class] of Object.entries(classes)) {
    const instances = Arbitrary.make(Class as unknown as Schema.Schema<object>)

    it(`fromValidFields(${name}, fields) is new ${name}(fields, true)`, () =>
      fc.assert(
        fc.property(instances, (instance) => {
          const fields = { ...instance }
          expectSameValue(fromValidFields(Class, fields), new Class(fields, true), Class)
        }),
      ))

    it(`copyWith on a ${name} is new ${name}({ ...self, ...changes }, true)`, () =>
      fc.assert(
        fc.property(instances, instances, fc.integer({ min: 0, max: 4095 }), (self, other, picks) => {
          // the changes: some of another valid instance's fields
          const keys = Object.keys(other).filter((_, i) => ((picks >> i) & 1) === 1)
          const changes = Object.fromEntries(keys.map((key) => [key, (other as Record<string, unknown>)[key]]))
          expectSameValue(copyWith(self, changes), new Class({ ...self, ...changes }, true), Class)
        }),
      ))
  }
})
