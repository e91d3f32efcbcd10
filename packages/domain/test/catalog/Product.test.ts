import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { displayStatus, isListed, isOnSale, type ProductStatus, StockLevel } from "../../src/index.js"

const status = fc.constantFrom<ProductStatus>("ACTIVE", "INACTIVE")
const stock = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })).map(StockLevel.make)

describe("displayStatus", () => {
  test.prop([status, stock])("INACTIVE wins; an ACTIVE product shows OUT_OF_STOCK exactly at stock 0", (s, n) => {
    const shown = displayStatus({ status: s, stock: n })
    if (s === "INACTIVE") expect(shown).toBe("INACTIVE")
    else expect(shown).toBe(n === 0 ? "OUT_OF_STOCK" : "ACTIVE")
  })

  test.prop([status, stock])("only ACTIVE products are on sale, whatever their stock", (s, n) => {
    expect(isOnSale({ status: s })).toBe(s === "ACTIVE")
    expect(displayStatus({ status: s, stock: n }) === "INACTIVE").toBe(!isOnSale({ status: s }))
  })

  test.prop([status, fc.boolean()])("a product is listed only when it and its brand are active", (s, active) => {
    expect(isListed({ status: s }, { active })).toBe(s === "ACTIVE" && active)
  })
})
