import {
  CardPaymentConfig,
  defaultCardPaymentSettings,
  defaultRankingWeights,
  RankingWeights,
} from "@commerce-core/domain"
import { ConfigProvider, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { PolicyLayer } from "../../src/embedded/ApiServicesLayer.js"
import { describeStartupFailure } from "../../src/server/StartupFailure.js"

/** What the services of every engine are given for these environment variables. */
const policyFrom = (env: Record<string, string>) =>
  Effect.runSyncExit(
    Effect.all({ weights: RankingWeights, card: CardPaymentConfig }).pipe(
      Effect.provide(PolicyLayer),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
    ),
  )

const failureLines = (env: Record<string, string>) => {
  const exit = policyFrom(env)
  if (Exit.isSuccess(exit)) throw new Error(`accepted ${JSON.stringify(env)}`)
  return describeStartupFailure(exit.cause)
}

describe("PolicyLayer (configuration every engine shares)", () => {
  it("defaults to DOMAIN.md's weights and a callback URL on this host's port", () => {
    expect(policyFrom({})).toEqual(
      Exit.succeed({
        weights: defaultRankingWeights,
        card: { ...defaultCardPaymentSettings, callbackUrl: "http://localhost:8080/api/v1/payments/callback" },
      }),
    )
    const onPort = policyFrom({ PORT: "9090" })
    expect(Exit.isSuccess(onPort) && onPort.value.card.callbackUrl).toBe(
      "http://localhost:9090/api/v1/payments/callback",
    )
  })

  it("reads the ranking weights, the callback URL and the attempts from the environment", () => {
    const exit = policyFrom({
      RANKING_WEIGHT_ORDER_LINE: "1.5",
      RANKING_CARRY_OVER: "0.2",
      PAYMENT_CALLBACK_URL: "https://shop.example.com/pg/callback",
      PAYMENT_MAX_ATTEMPTS: "5",
    })
    expect(exit).toEqual(
      Exit.succeed({
        weights: { ...defaultRankingWeights, orderLine: 1_500, carryOverPermille: 200 },
        card: { ...defaultCardPaymentSettings, callbackUrl: "https://shop.example.com/pg/callback", maxAttempts: 5 },
      }),
    )
  })

  it("refuses a bad value with one line naming its variable", () => {
    expect(failureLines({ RANKING_WEIGHT_VIEW: "-1" })).toEqual([expect.stringMatching(/^RANKING_WEIGHT_VIEW: /)])
    expect(failureLines({ RANKING_CARRY_OVER: "1.5" })).toEqual([expect.stringMatching(/^RANKING_CARRY_OVER: /)])
    for (const url of ["not a url", "/relative/callback", "ftp://shop.example.com/cb"]) {
      expect(failureLines({ PAYMENT_CALLBACK_URL: url })).toEqual([expect.stringMatching(/^PAYMENT_CALLBACK_URL: /)])
    }
    for (const attempts of ["0", "11", "two"]) {
      expect(failureLines({ PAYMENT_MAX_ATTEMPTS: attempts })).toEqual([
        expect.stringMatching(/^PAYMENT_MAX_ATTEMPTS: /),
      ])
    }
  })
})
