import { CardPaymentConfig, defaultCardPaymentSettings } from "@commerce-core/domain"
import { Config, Effect, Layer } from "effect"
import { DEFAULT_PORT } from "./HttpConfig.js"

/** The route the card gateway posts its callbacks to (OrderRoutes). */
export const PAYMENT_CALLBACK_PATH = "/api/v1/payments/callback"

const httpUrl = (name: string) =>
  Config.string(name).pipe(
    Config.validate({
      message: "must be an absolute http(s) URL",
      validation: (value) => {
        if (!URL.canParse(value)) return false
        const { protocol } = new URL(value)
        return protocol === "http:" || protocol === "https:"
      },
    }),
  )

/**
 * Card payment settings from the environment:
 * - PAYMENT_CALLBACK_URL: where the gateway posts callbacks; it must reach this service from the
 *   gateway's network, so a deployment behind a proxy sets it. Default: this host's own
 *   callback route on PORT (HttpConfig validates it; its default is DEFAULT_PORT).
 * - PAYMENT_MAX_ATTEMPTS: gateway requests per order, the first included (1-10, default 3).
 */
export const CardPaymentFromEnv = Layer.effect(
  CardPaymentConfig,
  Effect.gen(function* () {
    const port = yield* Config.integer("PORT").pipe(Config.withDefault(DEFAULT_PORT))
    return CardPaymentConfig.of({
      ...defaultCardPaymentSettings,
      callbackUrl: yield* httpUrl("PAYMENT_CALLBACK_URL").pipe(
        Config.withDefault(`http://localhost:${port}${PAYMENT_CALLBACK_PATH}`),
      ),
      maxAttempts: yield* Config.integer("PAYMENT_MAX_ATTEMPTS").pipe(
        Config.validate({ message: "must be an integer between 1 and 10", validation: (n) => n >= 1 && n <= 10 }),
        Config.withDefault(defaultCardPaymentSettings.maxAttempts),
      ),
    })
  }),
)
