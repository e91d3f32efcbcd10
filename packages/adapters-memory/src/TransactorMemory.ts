import { Transactor } from "@commerce-core/domain"
import { Effect, Layer } from "effect"
import { MemoryDatabase } from "./MemoryDatabase.js"

export const TransactorMemory = Layer.effect(
  Transactor,
  Effect.map(MemoryDatabase, (db) => Transactor.of({ withTransaction: db.transaction })),
)
