export * from "./EventInboxMemory.js"
export * from "./EventPublisherInProcess.js"
export * from "./InProcessPipeline.js"
export * from "./OutboxRelayStoreMemory.js"
