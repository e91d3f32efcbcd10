import { describe, expect, it } from "vitest"
import { runChargeAndBrowse } from "../src/ChargeAndBrowse.js"

describe("example: another service embedding the core", () => {
  it("charges once despite a replayed key and lists the cheapest products first", async () => {
    const result = await runChargeAndBrowse()
    expect(result).toEqual({
      user: "alice01",
      balance: 50_000,
      replayedBalance: 50_000,
      products: ["Canvas tote 12000", "Wool scarf 25000"],
      totalProducts: 3,
      hasNext: true,
    })
  })
})
