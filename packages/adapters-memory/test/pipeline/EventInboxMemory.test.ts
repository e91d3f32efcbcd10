import { eventInboxContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { EventInboxMemory } from "../../src/pipeline/EventInboxMemory.js"
import { memoryBase } from "./TestLayers.js"

eventInboxContract(() => EventInboxMemory.pipe(Layer.provideMerge(memoryBase())))
