import { Effect } from "effect"
import { makeProductMetricsConsumer } from "./ProductMetricsConsumer.js"
import { makeRankingConsumer } from "./RankingConsumer.js"

/**
 * Both consumers of the ranking context, built from its ports and weights, ready to register
 * with a pipeline (e.g. `InProcessPipelineMemory(makeRankingConsumers)`).
 */
export const makeRankingConsumers = Effect.all([makeRankingConsumer, makeProductMetricsConsumer])
