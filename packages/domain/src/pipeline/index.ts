export * from "./EventConsumer.js"
