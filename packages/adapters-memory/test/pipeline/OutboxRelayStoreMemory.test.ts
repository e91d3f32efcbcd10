import { outboxRelayStoreContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { OutboxRelayStoreMemory } from "../../src/pipeline/OutboxRelayStoreMemory.js"
import { memoryBase } from "./TestLayers.js"

outboxRelayStoreContract(() => OutboxRelayStoreMemory.pipe(Layer.provideMerge(memoryBase())))
