import { describe, expect, it } from "@effect/vitest"
import { ConfigError, ConfigProvider, Effect, Either, Exit, Layer } from "effect"
import * as fc from "fast-check"
import {
  defaultRankingWeights,
  defaultRankingWeightsConfig,
  RankingWeights,
  RankingWeightsDefault,
  RankingWeightsFromConfig,
  rankingWeightsFromConfig,
  rankingWeightsLayer,
  rankingWeightVariables,
  toScore,
} from "../../src/ranking/RankingWeights.js"
import type { InvalidInput } from "../../src/shared/DomainError.js"

const rejected = (patch: Partial<typeof defaultRankingWeightsConfig>) => {
  const result = rankingWeightsFromConfig({ ...defaultRankingWeightsConfig, ...patch })
  expect(Either.isLeft(result)).toBe(true)
  return Either.getLeft(result).pipe((o) => (o._tag === "Some" ? o.value : undefined)) as InvalidInput
}

describe("RankingWeights", () => {
  it("defaults are view 0.1, like 0.2, unlike -0.2, order line 0.7 and carry-over 10%, in points", () => {
    expect(defaultRankingWeights).toEqual({
      view: 100,
      like: 200,
      unlike: -200,
      orderLine: 700,
      carryOverPermille: 100,
    })
  })

  it.effect("the default layer provides the default weights", () =>
    Effect.gen(function* () {
      expect(yield* RankingWeights).toEqual(defaultRankingWeights)
    }).pipe(Effect.provide(RankingWeightsDefault)),
  )

  it("every decimal with at most three places converts exactly and presents back as itself", () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (thousandths) => {
        const decimal = thousandths / 1000
        const weights = Either.getOrThrow(
          rankingWeightsFromConfig({
            view: decimal,
            like: decimal,
            unlike: -decimal,
            orderLine: decimal,
            carryOver: 0,
          }),
        )
        expect(weights.view).toBe(thousandths)
        expect(weights.unlike).toBe(thousandths === 0 ? 0 : -thousandths)
        expect(toScore(weights.orderLine)).toBe(decimal)
      }),
    ))

  it("rejects more than three decimals, wrong signs, a carry-over above 100% and non-numbers", () => {
    expect(rejected({ view: 0.1234 }).field).toBe("ranking.weights.view")
    expect(rejected({ like: -0.2 }).field).toBe("ranking.weights.like")
    expect(rejected({ unlike: 0.2 }).field).toBe("ranking.weights.unlike")
    expect(rejected({ orderLine: Number.NaN }).field).toBe("ranking.weights.orderLine")
    expect(rejected({ orderLine: Number.POSITIVE_INFINITY }).field).toBe("ranking.weights.orderLine")
    expect(rejected({ carryOver: 1.5 }).field).toBe("ranking.weights.carryOver")
    expect(rejected({ carryOver: -0.1 }).code).toBe("BAD_REQUEST")
  })

  it.effect("a configured layer fails with InvalidInput on bad values", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Effect.provide(RankingWeights, rankingWeightsLayer({ ...defaultRankingWeightsConfig, view: 0.0001 })),
      )
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag).toBe("InvalidInput")
      const good = yield* Effect.provide(
        RankingWeights,
        rankingWeightsLayer({ ...defaultRankingWeightsConfig, orderLine: 1.25 }).pipe(Layer.orDie),
      )
      expect(good.orderLine).toBe(1_250)
    }),
  )

  const fromEnv = (env: Record<string, string>) =>
    Effect.runSyncExit(
      RankingWeights.pipe(
        Effect.provide(RankingWeightsFromConfig),
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
      ),
    )

  it("reads each weight from its environment variable, the others keeping their defaults", () => {
    expect(fromEnv({})).toEqual(Exit.succeed(defaultRankingWeights))
    expect(fromEnv({ RANKING_WEIGHT_LIKE: "0.5", RANKING_CARRY_OVER: "0.25" })).toEqual(
      Exit.succeed({ ...defaultRankingWeights, like: 500, carryOverPermille: 250 }),
    )
    expect(
      fromEnv({
        RANKING_WEIGHT_VIEW: "0.001",
        RANKING_WEIGHT_LIKE: "1",
        RANKING_WEIGHT_UNLIKE: "-1",
        RANKING_WEIGHT_ORDER_LINE: "3.5",
        RANKING_CARRY_OVER: "0",
      }),
    ).toEqual(Exit.succeed({ view: 1, like: 1_000, unlike: -1_000, orderLine: 3_500, carryOverPermille: 0 }))
  })

  it("fails with a ConfigError that names the variable of a bad weight", () => {
    for (const [field, variable] of Object.entries(rankingWeightVariables)) {
      const bad = field === "unlike" ? "0.5" : field === "carryOver" ? "2" : "-0.5"
      for (const value of [bad, "0.0001", "abc"]) {
        const exit = fromEnv({ [variable]: value })
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error(`${variable}=${value} was accepted`)
        const error = exit.cause.error
        expect(ConfigError.isConfigError(error) && error._op === "InvalidData" && error.path).toEqual([variable])
      }
    }
  })
})
