import { eventInboxContract, eventOutboxContract, outboxRelayStoreContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { EventInboxMysql, EventOutboxMysql, OutboxRelayStoreMysql, TransactorMysql } from "../src/index.js"
import { describeMysql, useTestDatabase } from "./support/MysqlTestDatabase.js"

describeMysql("Pipeline on MySQL", () => {
  const db = useTestDatabase()
  eventInboxContract(() => db.fresh(Layer.merge(EventInboxMysql, TransactorMysql)))
  outboxRelayStoreContract(() => db.fresh(Layer.mergeAll(OutboxRelayStoreMysql, EventOutboxMysql, TransactorMysql)))
  eventOutboxContract(() => db.fresh(Layer.mergeAll(EventOutboxMysql, OutboxRelayStoreMysql, TransactorMysql)))
})
