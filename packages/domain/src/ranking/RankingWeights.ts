import { Config, ConfigError, Context, Effect, Either, Layer } from "effect"
import { InvalidInput } from "../shared/DomainError.js"

/**
 * Scores are exact: every weight is an integer number of points, one point being a thousandth
 * of a presented score (view 0.1 = 100 points). Integer addition is associative, so a board
 * is identical whatever order its events arrive in; floats would not be.
 */
export const POINTS_PER_SCORE = 1000

/** The decimal score shown to people; only presentation ever converts. */
export const toScore = (points: number): number => points / POINTS_PER_SCORE

/** Weights as configured, in score units (decimals with at most three places). */
export interface RankingWeightsConfig {
  readonly view: number
  readonly like: number
  readonly unlike: number
  readonly orderLine: number
  /** Share of today's score that seeds tomorrow's board, 0..1. */
  readonly carryOver: number
}

/** Weights in points (integers); `carryOverPermille` is the carry-over ratio in thousandths. */
export interface RankingWeightsShape {
  readonly view: number
  readonly like: number
  readonly unlike: number
  readonly orderLine: number
  readonly carryOverPermille: number
}

export class RankingWeights extends Context.Tag("@commerce-core/domain/RankingWeights")<
  RankingWeights,
  RankingWeightsShape
>() {}

export const defaultRankingWeightsConfig: RankingWeightsConfig = {
  view: 0.1,
  like: 0.2,
  unlike: -0.2,
  orderLine: 0.7,
  carryOver: 0.1,
}

const MAX_WEIGHT = 1_000_000

const toPoints = (field: string, value: number, min: number, max: number): Either.Either<number, InvalidInput> => {
  const scaled = value * POINTS_PER_SCORE
  const points = Math.round(scaled)
  if (!Number.isFinite(value) || Math.abs(scaled - points) > 1e-6) {
    return Either.left(new InvalidInput({ field, reason: `must be a number with at most 3 decimals, got ${value}` }))
  }
  if (value < min || value > max) {
    return Either.left(new InvalidInput({ field, reason: `must be between ${min} and ${max}, got ${value}` }))
  }
  return Either.right(points === 0 ? 0 : points)
}

/**
 * Converts configured decimal weights to points. Views, likes and order lines may only add to
 * a score and unlikes only take from it, which keeps ranking monotone in events. A refused
 * weight's InvalidInput names it by `nameOf` (by default `ranking.weights.<key>`).
 */
export const rankingWeightsFromConfig = (
  config: RankingWeightsConfig,
  nameOf: (key: keyof RankingWeightsConfig) => string = (key) => `ranking.weights.${key}`,
): Either.Either<RankingWeightsShape, InvalidInput> =>
  Either.all({
    view: toPoints(nameOf("view"), config.view, 0, MAX_WEIGHT),
    like: toPoints(nameOf("like"), config.like, 0, MAX_WEIGHT),
    unlike: toPoints(nameOf("unlike"), config.unlike, -MAX_WEIGHT, 0),
    orderLine: toPoints(nameOf("orderLine"), config.orderLine, 0, MAX_WEIGHT),
    carryOverPermille: toPoints(nameOf("carryOver"), config.carryOver, 0, 1),
  })

export const defaultRankingWeights: RankingWeightsShape = Either.getOrThrow(
  rankingWeightsFromConfig(defaultRankingWeightsConfig),
)

/** view 0.1, like 0.2, unlike -0.2, order line 0.7, carry-over 10%. */
export const RankingWeightsDefault = Layer.succeed(RankingWeights, RankingWeights.of(defaultRankingWeights))

/** Weights from configuration; bad values fail the layer with InvalidInput. */
export const rankingWeightsLayer = (config: RankingWeightsConfig) =>
  Layer.effect(RankingWeights, Either.map(rankingWeightsFromConfig(config), RankingWeights.of))

/** The environment variable that sets each weight, by field of RankingWeightsConfig. */
export const rankingWeightVariables: Readonly<Record<keyof RankingWeightsConfig, string>> = {
  view: "RANKING_WEIGHT_VIEW",
  like: "RANKING_WEIGHT_LIKE",
  unlike: "RANKING_WEIGHT_UNLIKE",
  orderLine: "RANKING_WEIGHT_ORDER_LINE",
  carryOver: "RANKING_CARRY_OVER",
}

const weightFromEnv = (field: keyof RankingWeightsConfig) =>
  Config.number(rankingWeightVariables[field]).pipe(Config.withDefault(defaultRankingWeightsConfig[field]))

/**
 * Weights from the environment (RANKING_WEIGHT_VIEW, _LIKE, _UNLIKE, _ORDER_LINE and
 * RANKING_CARRY_OVER, in score units), each defaulting to `defaultRankingWeightsConfig`. A
 * value outside its range fails the layer with a ConfigError naming the variable.
 */
export const RankingWeightsFromConfig = Layer.effect(
  RankingWeights,
  Effect.flatMap(
    Config.all({
      view: weightFromEnv("view"),
      like: weightFromEnv("like"),
      unlike: weightFromEnv("unlike"),
      orderLine: weightFromEnv("orderLine"),
      carryOver: weightFromEnv("carryOver"),
    }),
    (config) =>
      Effect.mapBoth(
        rankingWeightsFromConfig(config, (key) => rankingWeightVariables[key]),
        {
          onFailure: (invalid) => ConfigError.InvalidData([invalid.field], invalid.reason),
          onSuccess: RankingWeights.of,
        },
      ),
  ),
)
