export * from "./EventInboxContract.js"
export * from "./OutboxRelayStoreContract.js"
export * from "./PipelineFixtures.js"
