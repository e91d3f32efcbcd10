import { Config, ConfigError, Context, Effect, Either, Layer, Schema } from "effect"
import { Money } from "../shared/Money.js"

export interface PointLimits {
  /** Smallest single charge. */
  readonly minCharge: Money
  /** Largest single charge. */
  readonly maxCharge: Money
  /** The balance never exceeds this, whatever adds to it (charges and refunds). */
  readonly maxBalance: Money
}

/** Limits on wallets; configurable, with the defaults of DOMAIN.md. */
export class PointPolicy extends Context.Tag("@commerce-core/domain/PointPolicy")<PointPolicy, PointLimits>() {}

export const defaultPointLimits: PointLimits = {
  minCharge: Money.make(1_000),
  maxCharge: Money.make(10_000_000),
  maxBalance: Money.make(1_000_000_000),
}

const isMoney = Schema.is(Money)

/** Checks that the limits are coherent: 1 <= minCharge <= maxCharge <= maxBalance. */
export const makePointLimits = (limits: {
  readonly minCharge: number
  readonly maxCharge: number
  readonly maxBalance: number
}): Either.Either<PointLimits, string> => {
  const { minCharge, maxCharge, maxBalance } = limits
  if (!isMoney(minCharge) || !isMoney(maxCharge) || !isMoney(maxBalance)) {
    return Either.left("point limits must be non-negative safe integers")
  }
  if (minCharge < 1 || minCharge > maxCharge || maxCharge > maxBalance) {
    return Either.left("point limits must satisfy 1 <= minCharge <= maxCharge <= maxBalance")
  }
  return Either.right({ minCharge, maxCharge, maxBalance })
}

export const PointPolicyDefault = Layer.succeed(PointPolicy, defaultPointLimits)

/** Reads POINT_MIN_CHARGE, POINT_MAX_CHARGE and POINT_MAX_BALANCE, each defaulting as above. */
export const PointPolicyFromConfig = Layer.effect(
  PointPolicy,
  Effect.gen(function* () {
    const raw = yield* Config.all({
      minCharge: Config.integer("POINT_MIN_CHARGE").pipe(Config.withDefault(defaultPointLimits.minCharge)),
      maxCharge: Config.integer("POINT_MAX_CHARGE").pipe(Config.withDefault(defaultPointLimits.maxCharge)),
      maxBalance: Config.integer("POINT_MAX_BALANCE").pipe(Config.withDefault(defaultPointLimits.maxBalance)),
    })
    return yield* Either.mapLeft(makePointLimits(raw), (reason) => ConfigError.InvalidData([], reason))
  }),
)
