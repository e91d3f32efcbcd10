export * from "./EventInboxMysql.js"
export * from "./OutboxRelayStoreMysql.js"
