import { eventOutboxContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { OutboxRelayStoreMemory } from "../src/pipeline/OutboxRelayStoreMemory.js"
import { memoryBase } from "./pipeline/TestLayers.js"

eventOutboxContract(() => OutboxRelayStoreMemory.pipe(Layer.provideMerge(memoryBase())), 100)
