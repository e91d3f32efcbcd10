import { transactorContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { CartRepositoryMemory } from "../src/cart/CartRepositoryMemory.js"
import { OutboxRelayStoreMemory } from "../src/pipeline/OutboxRelayStoreMemory.js"
import { memoryBase } from "./pipeline/TestLayers.js"

transactorContract(() =>
  Layer.merge(CartRepositoryMemory, OutboxRelayStoreMemory).pipe(Layer.provideMerge(memoryBase())),
)
