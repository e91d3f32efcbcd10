import { CartRepository, mergeQuantity, type ProductId, Quantity, type UserId } from "@commerce-core/domain"
import { Effect, Either, Layer } from "effect"
import { MemoryDatabase } from "../MemoryDatabase.js"

interface CartRow {
  readonly userId: UserId
  readonly productId: ProductId
  readonly quantity: Quantity
  /** When the line was first added: the cart's display order. */
  readonly sequence: number
}

const keyOf = (userId: UserId, productId: ProductId) => `${userId}:${productId}`

export const CartRepositoryMemory = Layer.effect(
  CartRepository,
  Effect.gen(function* () {
    const db = yield* MemoryDatabase
    const lines = db.table<string, CartRow>("cart_lines")

    const upsert = (userId: UserId, productId: ProductId, quantity: (current: number) => Quantity) =>
      db.write((tx) =>
        Effect.sync(() => {
          const key = keyOf(userId, productId)
          const row = tx.get(lines, key)
          const next = quantity(row?.quantity ?? 0)
          tx.set(lines, key, { userId, productId, quantity: next, sequence: row?.sequence ?? db.nextId("cart_lines") })
          return next
        }),
      )

    return CartRepository.of({
      lines: (userId) =>
        db.read((view) =>
          view
            .values(lines)
            .filter((row) => row.userId === userId)
            .sort((a, b) => a.sequence - b.sequence)
            .map(({ productId, quantity }) => ({ productId, quantity })),
        ),
      add: (userId, productId, quantity, max) =>
        db.write((tx) => {
          const key = keyOf(userId, productId)
          const row = tx.get(lines, key)
          return Either.match(mergeQuantity(productId, row?.quantity ?? 0, quantity, max), {
            onLeft: Effect.fail,
            onRight: (merged) =>
              Effect.sync(() => {
                tx.set(lines, key, {
                  userId,
                  productId,
                  quantity: merged,
                  sequence: row?.sequence ?? db.nextId("cart_lines"),
                })
                return merged
              }),
          })
        }),
      set: (userId, productId, quantity) => Effect.asVoid(upsert(userId, productId, () => quantity)),
      remove: (userId, productId) =>
        db.write((tx) =>
          Effect.sync(() => {
            const key = keyOf(userId, productId)
            if (tx.get(lines, key) === undefined) return false
            tx.delete(lines, key)
            return true
          }),
        ),
      subtract: (userId, taken) =>
        db.write((tx) =>
          Effect.sync(() => {
            for (const { productId, quantity } of taken) {
              const key = keyOf(userId, productId)
              const row = tx.get(lines, key)
              if (row === undefined) continue
              if (row.quantity <= quantity) tx.delete(lines, key)
              else tx.set(lines, key, { ...row, quantity: Quantity.make(row.quantity - quantity) })
            }
          }),
        ),
      removeLines: (userId, productIds) =>
        db.write((tx) =>
          Effect.sync(() => {
            let removed = 0
            for (const productId of new Set(productIds)) {
              const key = keyOf(userId, productId)
              if (tx.get(lines, key) !== undefined) {
                tx.delete(lines, key)
                removed++
              }
            }
            return removed
          }),
        ),
    })
  }),
)
