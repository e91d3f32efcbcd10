export * from "./EventInboxContract.js"
export * from "./EventPublisherContract.js"
export * from "./OutboxRelayStoreContract.js"
export * from "./PipelineFixtures.js"
