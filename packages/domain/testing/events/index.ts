export * from "./DomainEventArbitrary.js"
export * from "./EventOutboxContract.js"
